package io.baton.coordinator.rest;

import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * A vertex's id as Flink's REST API writes it, 32 hexadecimal digits ({@code JobVertexID}): Baton's
 * vertex number, zero-padded. Routes take either form, so Baton's own tools may keep the number.
 */
final class VertexIds {
  private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{32}");
  private static final Pattern NUMBER = Pattern.compile("[0-9]{1,9}");

  private VertexIds() {}

  static String hex(int vertexId) {
    return String.format("%032x", vertexId);
  }

  /** The vertex number named by {@code text}; empty when it names none. */
  static OptionalInt parse(String text) {
    if (text == null) {
      return OptionalInt.empty();
    }
    if (NUMBER.matcher(text).matches()) {
      return OptionalInt.of(Integer.parseInt(text));
    }
    if (HEX.matcher(text).matches() && text.substring(0, 24).chars().allMatch(c -> c == '0')) {
      long value = Long.parseLong(text.substring(24), 16);
      return value <= Integer.MAX_VALUE ? OptionalInt.of((int) value) : OptionalInt.empty();
    }
    return OptionalInt.empty();
  }
}
