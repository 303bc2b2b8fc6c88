package io.baton.common.ids;

import java.util.UUID;
import java.util.regex.Pattern;

/** Identifies a allocation: 32 lower-case hex digits, as Flink prints its ids. */
public record AllocationId(String value) implements Comparable<AllocationId> {
  private static final Pattern FORMAT = Pattern.compile("[0-9a-f]{32}");

  public AllocationId {
    if (value == null || !FORMAT.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "invalid allocation id '" + value + "': expected 32 hex digits");
    }
  }

  public static AllocationId random() {
    return new AllocationId(UUID.randomUUID().toString().replace("-", ""));
  }

  /**
   * Parses user input (a REST path, a CLI argument).
   *
   * @throws IllegalArgumentException with a one-line reason when it is not an id
   */
  public static AllocationId parse(String text) {
    return new AllocationId(text == null ? null : text.trim().toLowerCase(java.util.Locale.ROOT));
  }

  @Override
  public int compareTo(AllocationId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
