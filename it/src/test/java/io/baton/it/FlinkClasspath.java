package io.baton.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The class path of the Flink JVMs in the side-by-side benchmarks: the jars that {@code
 * flink-benchmark} resolved (it writes them to {@code target/flink-classpath.txt} when built with
 * {@code -Pflink}) plus that module's own jar. Flink never runs on the test JVM's class path.
 */
final class FlinkClasspath {
  private static final Path MODULE = Path.of("..", "flink-benchmark", "target");

  private FlinkClasspath() {}

  /** The jar with the Flink programs and entry points of the benchmarks. */
  static Path benchmarkJar() {
    Path jar = MODULE.resolve("baton-flink-benchmark.jar").toAbsolutePath().normalize();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "no " + jar + ": run the side-by-side benchmarks with bin/benchmark.sh flink");
    }
    return jar;
  }

  /** The full class path for a Flink JVM. */
  static String classpath() {
    Path file = MODULE.resolve("flink-classpath.txt").toAbsolutePath().normalize();
    try {
      return benchmarkJar() + java.io.File.pathSeparator + Files.readString(file).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read " + file + ": run the side-by-side benchmarks with bin/benchmark.sh flink",
          e);
    }
  }
}
