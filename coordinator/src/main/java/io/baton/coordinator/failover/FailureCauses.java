package io.baton.coordinator.failover;

import io.baton.common.config.ErrorLines;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Failure causes as text. A job keeps the whole text (class and message on the first line, then the
 * stack trace) for its logs; what users see of it, over REST and in the job result store, is {@link
 * #oneLine}.
 */
public final class FailureCauses {
  private FailureCauses() {}

  public static String describe(Throwable t) {
    StringWriter out = new StringWriter();
    unwrap(t).printStackTrace(new PrintWriter(out));
    return out.toString().stripTrailing();
  }

  public static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  /**
   * A cause as users see it: its message chain in one line ({@code "X: y; caused by Z: w"}),
   * without stack frames, also when it came from a TaskManager as a printed stack trace.
   */
  public static String oneLine(String cause) {
    return ErrorLines.oneLine(cause);
  }
}
