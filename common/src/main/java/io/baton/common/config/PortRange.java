package io.baton.common.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A port or a range of ports to listen on, written as Flink writes them: {@code 9250} or {@code
 * 9250-9260}; {@code 0} asks for any free port.
 *
 * @param first the first port to try
 * @param last the last port to try (the same as {@code first} for a single port)
 */
public record PortRange(int first, int last) {
  private static final Pattern FORM = Pattern.compile("\\s*(\\d{1,5})\\s*(?:-\\s*(\\d{1,5})\\s*)?");

  /** What {@link #parse} accepts, as an error line names it. */
  public static final String FORM_TEXT = "a port 0..65535 or a range like 9250-9260";

  public PortRange {
    if (first < 0 || last > 65535 || first > last || (first == 0 && last != 0)) {
      throw new IllegalArgumentException("not " + FORM_TEXT + ": " + first + "-" + last);
    }
  }

  /**
   * Reads {@code 9250} or {@code 9250-9260}.
   *
   * @throws IllegalArgumentException when {@code text} is neither, or the range is empty
   */
  public static PortRange parse(String text) {
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("not " + FORM_TEXT + ": '" + text + "'");
    }
    int first = Integer.parseInt(m.group(1));
    int last = m.group(2) == null ? first : Integer.parseInt(m.group(2));
    return new PortRange(first, last);
  }

  /** Whether {@link #parse} reads {@code text}. */
  public static boolean isValid(String text) {
    try {
      parse(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Any free port ({@code 0}). */
  public boolean anyFree() {
    return first == 0;
  }

  @Override
  public String toString() {
    return first == last ? Integer.toString(first) : first + "-" + last;
  }
}
