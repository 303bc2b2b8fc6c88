package io.baton.coordinator.resourcemanager;

/** A job's slot request could not be served before {@code slot.request.timeout}. */
public class NoResourceAvailableException extends Exception {
  public NoResourceAvailableException(String message) {
    super(message);
  }
}
