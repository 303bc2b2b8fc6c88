package io.baton.coordinator.program;

import io.baton.common.config.ErrorLines;
import java.lang.reflect.InvocationTargetException;

/** Turns a failure of a job's main() into the one line the submitter reads. */
final class ErrorText {
  private ErrorText() {}

  /** The innermost cause, looking through reflection's wrapper. */
  static Throwable rootCause(Throwable t) {
    Throwable root = t;
    while (true) {
      Throwable next =
          root instanceof InvocationTargetException ite
              ? ite.getTargetException()
              : root.getCause();
      if (next == null || next == root) {
        return root;
      }
      root = next;
    }
  }

  /** The class and the first line of the message: "java.io.IOException: disk full". */
  static String describe(Throwable t) {
    String message = ErrorLines.firstLine(t.getMessage());
    return message.isEmpty() ? t.getClass().getName() : t.getClass().getName() + ": " + message;
  }
}
