package io.baton.coordinator.checkpoint;

/** A checkpoint or savepoint did not complete; the message says which and why. */
public final class CheckpointException extends RuntimeException {
  public CheckpointException(String message) {
    super(message);
  }
}
