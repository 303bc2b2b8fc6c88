package io.baton.common.ids;

import java.util.UUID;
import java.util.regex.Pattern;

/** Identifies a execution: 32 lower-case hex digits, as Flink prints its ids. */
public record ExecutionId(String value) implements Comparable<ExecutionId> {
  private static final Pattern FORMAT = Pattern.compile("[0-9a-f]{32}");

  public ExecutionId {
    if (value == null || !FORMAT.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "invalid execution id '" + value + "': expected 32 hex digits");
    }
  }

  public static ExecutionId random() {
    return new ExecutionId(UUID.randomUUID().toString().replace("-", ""));
  }

  /**
   * Parses user input (a REST path, a CLI argument).
   *
   * @throws IllegalArgumentException with a one-line reason when it is not an id
   */
  public static ExecutionId parse(String text) {
    return new ExecutionId(text == null ? null : text.trim().toLowerCase(java.util.Locale.ROOT));
  }

  @Override
  public int compareTo(ExecutionId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
