package io.baton.taskmanager.executor;

import java.util.concurrent.CompletionException;

/**
 * A call to the JobManager got no answer: unreachable, too slow, or refused by the transport. The
 * message says why in one line (the transport's details stay in the cause).
 */
public final class JobManagerCallException extends RuntimeException {

  public JobManagerCallException(String oneLine, Throwable cause) {
    super(oneLine, cause);
  }

  /** Why a call failed, in one line, whatever wraps the failure. */
  static String describe(Throwable error) {
    Throwable cause = error;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause instanceof JobManagerCallException ? cause.getMessage() : String.valueOf(cause);
  }
}
