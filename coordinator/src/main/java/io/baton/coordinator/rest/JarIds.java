package io.baton.coordinator.rest;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A jar's id in the REST API: {@code <blob key>_<file name>}, as Flink names uploaded jars {@code
 * <uuid>_<file name>}. Only the key part decides which jar is meant.
 */
final class JarIds {
  private static final Pattern KEY = Pattern.compile("[0-9a-f]{64}");

  private JarIds() {}

  static String idOf(String key, String name) {
    return key + "_" + safeName(name);
  }

  /** The blob key of a jar id, if it has the form of one. */
  static Optional<String> keyOf(String jarId) {
    int underscore = jarId.indexOf('_');
    String key = underscore < 0 ? jarId : jarId.substring(0, underscore);
    return KEY.matcher(key).matches() ? Optional.of(key) : Optional.empty();
  }

  /** The file name part of a jar id, for messages; the key itself when it has none. */
  static String nameOf(String jarId) {
    int underscore = jarId.indexOf('_');
    return underscore < 0 ? jarId : jarId.substring(underscore + 1);
  }

  /** The last path segment, with characters that need escaping in a URL path replaced. */
  static String safeName(String fileName) {
    String base = fileName == null ? "" : fileName.replaceAll(".*[/\\\\]", "");
    String safe = base.replaceAll("[^A-Za-z0-9._-]", "_");
    return safe.isEmpty() ? "job.jar" : safe;
  }
}
