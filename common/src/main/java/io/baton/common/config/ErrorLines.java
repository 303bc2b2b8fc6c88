package io.baton.common.config;

/** The one line a Baton process prints about an error that stopped it. */
public final class ErrorLines {
  private ErrorLines() {}

  /** The first line of {@code error}'s message, or its type when it has none. */
  public static String firstLine(Throwable error) {
    String message = error.getMessage() == null ? error.toString() : error.getMessage();
    return message.lines().findFirst().orElse(message);
  }
}
