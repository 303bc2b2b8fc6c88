package io.baton.taskmanager.state;

/** The kinds of keyed state; one named state has exactly one kind. */
public enum StateKind {
  VALUE("ValueState"),
  LIST("ListState"),
  MAP("MapState");

  private final String typeName;

  StateKind(String typeName) {
    this.typeName = typeName;
  }

  /** The api interface's name, for error messages. */
  public String typeName() {
    return typeName;
  }
}
