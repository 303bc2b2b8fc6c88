package io.baton.common.serialization;

import java.io.IOException;

/**
 * Java-serialized data named a class (or exceeded a limit) that {@link AdmittedClasses} does not
 * admit; nothing of it was instantiated. The message is one line naming the source and the class.
 */
public final class RefusedClassException extends IOException {
  private static final long serialVersionUID = 1L;

  public RefusedClassException(String message, Throwable cause) {
    super(message, cause);
  }
}
