package io.baton.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a Flink 1.20 {@code config.yaml} for the Flink JVMs the benchmarks start: flat keys, every
 * value a single-quoted YAML string (Flink parses the types itself).
 */
final class FlinkConfigYaml {
  private FlinkConfigYaml() {}

  /** Writes {@code config} to {@code file}, keys in the map's order. */
  static void write(Path file, Map<String, String> config) throws IOException {
    StringBuilder text = new StringBuilder();
    config.forEach(
        (key, value) ->
            text.append(key).append(": '").append(value.replace("'", "''")).append("'\n"));
    Files.writeString(file, text.toString());
  }
}
