package io.baton.api.graph;

/** A job graph that cannot run; the message is one line that says why. */
public class InvalidJobGraphException extends Exception {
  public InvalidJobGraphException(String message) {
    super(message);
  }
}
