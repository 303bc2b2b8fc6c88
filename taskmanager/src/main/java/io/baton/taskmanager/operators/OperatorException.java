package io.baton.taskmanager.operators;

/**
 * Carries a checked exception of an operator (a user function, a serializer, an interrupted write)
 * out through {@link io.baton.api.functions.Collector#collect}, which cannot throw one. The task
 * reports the carried cause, not this wrapper.
 */
public final class OperatorException extends RuntimeException {

  public OperatorException(String operatorName, Throwable cause) {
    super("operator '" + operatorName + "' failed: " + cause, cause);
  }

  /** The exception an operator threw: {@code failure} with every OperatorException peeled off. */
  public static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while (t instanceof OperatorException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** {@code failure} as is when unchecked, else wrapped; keeps the interrupt flag. */
  static RuntimeException wrap(String operatorName, Exception failure) {
    if (failure instanceof RuntimeException unchecked) {
      return unchecked;
    }
    if (failure instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    return new OperatorException(operatorName, failure);
  }
}
