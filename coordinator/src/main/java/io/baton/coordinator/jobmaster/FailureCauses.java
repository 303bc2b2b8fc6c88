package io.baton.coordinator.jobmaster;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Failure causes as text: class and message on the first line, then the stack trace. */
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

  /** The first line of a cause: its class and message. */
  public static String firstLine(String cause) {
    if (cause == null) {
      return null;
    }
    int nl = cause.indexOf('\n');
    return (nl < 0 ? cause : cause.substring(0, nl)).stripTrailing();
  }
}
