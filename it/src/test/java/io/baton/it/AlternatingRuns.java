package io.baton.it;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The repetitions of one shape of a Ledger comparison: Baton, Flink, Baton, Flink, ..., each run in
 * fresh JVMs and a directory of its own, so that a slow phase of the machine falls on both sides
 * alike. What a run yields is read from its {@link SideRun} and directory.
 */
final class AlternatingRuns {
  private AlternatingRuns() {}

  /** What a benchmark takes from one finished run. */
  @FunctionalInterface
  interface Reading<T> {
    T read(SideRun run, Path dir, String label) throws Exception;
  }

  /** The readings of each side, in run order. */
  record Both<T>(List<T> baton, List<T> flink) {}

  /**
   * Runs {@code repetitions} pairs of {@code workload} in {@code shape}; run directories are {@code
   * workDir/<side>-<kind>-<shape>-<i>}.
   */
  static <T> Both<T> run(
      LedgerSide baton,
      LedgerSide flink,
      LedgerShape shape,
      LedgerWorkload workload,
      Path workDir,
      String kind,
      int repetitions,
      Reading<T> reading)
      throws Exception {
    List<T> batonReadings = new ArrayList<>();
    List<T> flinkReadings = new ArrayList<>();
    for (int i = 0; i < repetitions; i++) {
      batonReadings.add(once(baton, shape, workload, workDir, kind, i, reading));
      flinkReadings.add(once(flink, shape, workload, workDir, kind, i, reading));
    }
    return new Both<>(batonReadings, flinkReadings);
  }

  private static <T> T once(
      LedgerSide side,
      LedgerShape shape,
      LedgerWorkload workload,
      Path workDir,
      String kind,
      int repetition,
      Reading<T> reading)
      throws Exception {
    String label = side.name() + "-" + kind + "-" + shape.id() + "-" + repetition;
    Path dir = workDir.resolve(label);
    return reading.read(side.run(shape, workload, dir, label), dir, label);
  }
}
