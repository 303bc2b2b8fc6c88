package io.baton.common.ids;

import java.util.UUID;
import java.util.regex.Pattern;

/** Identifies a TaskManager: 32 lower-case hex digits, as Flink prints its ids. */
public record TaskManagerId(String value) implements Comparable<TaskManagerId> {
  private static final Pattern FORMAT = Pattern.compile("[0-9a-f]{32}");

  public TaskManagerId {
    if (value == null || !FORMAT.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "invalid TaskManager id '" + value + "': expected 32 hex digits");
    }
  }

  public static TaskManagerId random() {
    return new TaskManagerId(UUID.randomUUID().toString().replace("-", ""));
  }

  /**
   * Parses user input (a REST path, a CLI argument).
   *
   * @throws IllegalArgumentException with a one-line reason when it is not an id
   */
  public static TaskManagerId parse(String text) {
    return new TaskManagerId(text == null ? null : text.trim().toLowerCase(java.util.Locale.ROOT));
  }

  @Override
  public int compareTo(TaskManagerId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
