package io.baton.coordinator.rpc;

/** A call to a TaskManager that got no answer: unreachable, too slow, or failed there. */
public final class TaskManagerCallException extends RuntimeException {
  /** Why the call got no answer. */
  public enum Reason {
    /** Nothing listens at its address, or the connection broke. */
    UNREACHABLE,
    /** It did not answer within the call's deadline. */
    TIMED_OUT,
    /** It answered with an error. */
    FAILED
  }

  private final Reason reason;

  public TaskManagerCallException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
