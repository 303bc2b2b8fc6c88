package io.baton.api.state;

import java.io.Serializable;
import java.util.Objects;

/** Names a piece of keyed state; the name is unique per operator and survives restarts. */
public abstract class StateDescriptor implements Serializable {
  private final String name;

  protected StateDescriptor(String name) {
    this.name = Objects.requireNonNull(name, "state name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("state name must not be blank");
    }
  }

  public String getName() {
    return name;
  }
}
