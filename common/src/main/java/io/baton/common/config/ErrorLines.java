package io.baton.common.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Errors as the one line a user sees (a process that stops, a REST field, a job's failure cause):
 * the message chain, never stack frames. The frames belong in the logs.
 */
public final class ErrorLines {
  private static final String CAUSED_BY = "Caused by: ";
  private static final String JOINER = "; caused by ";
  // "at a.b.C.m(C.java:12)", "at java.base/...", "... 12 more", "... 3 common frames omitted"
  private static final Pattern FRAME =
      Pattern.compile("at \\S+\\(.*\\)( ~?\\[.*\\])?|\\.\\.\\. \\d+ (more|common frames omitted)");

  private ErrorLines() {}

  /** The first line of {@code error}'s message, or its type when it has none. */
  public static String firstLine(Throwable error) {
    String message = error.getMessage() == null ? error.toString() : error.getMessage();
    return message.lines().findFirst().orElse(message);
  }

  /** The first line of {@code message}, without surrounding blanks; empty for null or empty. */
  public static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("").strip();
  }

  /**
   * {@code error} and its causes in one line: {@code "X: y; caused by Z: w"}, each as its type and
   * the first line of its message; a cause whose text its effect's message repeats already is left
   * out.
   */
  public static String chain(Throwable error) {
    List<String> parts = new ArrayList<>();
    Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    String previous = "";
    for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
      String part = oneLine(t.toString());
      if (!previous.contains(messageOf(t))) {
        parts.add(part);
      }
      previous = part;
    }
    return String.join(JOINER, parts);
  }

  /**
   * A failure text (maybe a printed stack trace, from this process or another) in one line: its
   * first line and each {@code Caused by:} line, joined with {@code "; caused by "}; frames and
   * blank lines dropped, other lines joined with a space.
   */
  public static String oneLine(String text) {
    if (text == null) {
      return null;
    }
    StringBuilder line = new StringBuilder();
    for (String raw : text.lines().toList()) {
      String l = raw.strip();
      if (l.isEmpty() || isFrame(l)) {
        continue;
      }
      if (l.startsWith(CAUSED_BY)) {
        line.append(JOINER).append(l.substring(CAUSED_BY.length()));
      } else if (l.startsWith("Suppressed: ")) {
        line.append("; suppressed ").append(l.substring("Suppressed: ".length()));
      } else {
        line.append(line.length() == 0 ? "" : " ").append(l);
      }
    }
    return line.toString();
  }

  private static boolean isFrame(String strippedLine) {
    return FRAME.matcher(strippedLine).matches();
  }

  private static String messageOf(Throwable t) {
    String message = t.getMessage();
    return message == null || message.isBlank() ? t.getClass().getName() : oneLine(message);
  }
}
