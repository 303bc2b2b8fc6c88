package io.baton.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The benchmarks' profiling switch: with {@code -Dbenchmark.profile=jfr} the JVMs a benchmark asks
 * about record a JDK Flight Recorder profile ({@code settings=profile}: execution samples every 10
 * ms, allocation samples) into {@code it/target/profiles/<run>-<process>.jfr}, written when the
 * process ends (the benchmark stops its processes with SIGTERM, so the recording is dumped), and
 * {@link JfrSummary} turns each into a text summary next to it. Without the switch nothing changes,
 * so the figures of a normal run are not paid for by the recorder.
 */
final class JfrProfiling {
  /** Where profiles go, relative to the {@code it} module (the tests' working directory). */
  static final Path DIRECTORY = ComparisonReport.DIRECTORY.resolve("profiles");

  private final boolean enabled;

  private JfrProfiling(boolean enabled) {
    this.enabled = enabled;
  }

  /** From {@code -Dbenchmark.profile}: {@code jfr}, or unset/empty for no profiling. */
  static JfrProfiling fromSystemProperties() {
    String value = System.getProperty("benchmark.profile", "").trim().toLowerCase(Locale.ROOT);
    if (value.isEmpty() || value.equals("none")) {
      return new JfrProfiling(false);
    }
    if (!value.equals("jfr")) {
      throw new IllegalArgumentException(
          "benchmark.profile must be 'jfr' or empty, not '" + value + "'");
    }
    return new JfrProfiling(true);
  }

  boolean enabled() {
    return enabled;
  }

  /** The recording file of one process of one run. */
  static Path recording(String run, String process) {
    return DIRECTORY.resolve(run + "-" + process + ".jfr").toAbsolutePath();
  }

  /** The JVM options that make {@code process} of {@code run} record; none when disabled. */
  List<String> jvmOptions(String run, String process) throws IOException {
    if (!enabled) {
      return List.of();
    }
    Files.createDirectories(DIRECTORY);
    Path file = recording(run, process);
    Files.deleteIfExists(file);
    return List.of(
        "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + file,
        // samples land on safepoint-free frames too, so inlined hot loops show where they are
        "-XX:+UnlockDiagnosticVMOptions",
        "-XX:+DebugNonSafepoints");
  }

  /**
   * Writes {@code <recording>.txt} beside each recording of {@code run} that exists, and returns
   * their paths.
   */
  List<Path> summarise(String run, List<String> processes, int topFrames) throws IOException {
    if (!enabled) {
      return List.of();
    }
    List<Path> written = new java.util.ArrayList<>();
    for (String process : processes) {
      Path file = recording(run, process);
      if (Files.exists(file)) {
        Path summary = file.resolveSibling(file.getFileName() + ".txt");
        Files.writeString(summary, JfrSummary.of(file, topFrames).render(run + " " + process));
        written.add(summary);
      }
    }
    return written;
  }
}
