package io.baton.common.ids;

import java.util.UUID;
import java.util.regex.Pattern;

/** Identifies a job: 32 lower-case hex digits, as Flink prints its ids. */
public record JobId(String value) implements Comparable<JobId> {
  private static final Pattern FORMAT = Pattern.compile("[0-9a-f]{32}");

  public JobId {
    if (value == null || !FORMAT.matcher(value).matches()) {
      throw new IllegalArgumentException("invalid job id '" + value + "': expected 32 hex digits");
    }
  }

  public static JobId random() {
    return new JobId(UUID.randomUUID().toString().replace("-", ""));
  }

  /**
   * Parses user input (a REST path, a CLI argument).
   *
   * @throws IllegalArgumentException with a one-line reason when it is not an id
   */
  public static JobId parse(String text) {
    return new JobId(text == null ? null : text.trim().toLowerCase(java.util.Locale.ROOT));
  }

  @Override
  public int compareTo(JobId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
