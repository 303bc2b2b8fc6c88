package io.baton.it;

import java.nio.file.Path;

/** One side of a Ledger comparison: Baton or Apache Flink, started in the cluster of a shape. */
interface LedgerSide extends AutoCloseable {
  /** {@code baton} or {@code flink}: names the runs' directories, profiles and messages. */
  String name();

  /**
   * Runs {@code workload} once in {@code shape} under {@code dir}, in fresh JVMs that are stopped
   * before it returns, and verifies the output exactly-once; {@code run} names the run's profiles
   * and kept logs. Latency histograms, if the workload records them, go to {@code dir/histograms}.
   */
  SideRun run(LedgerShape shape, LedgerWorkload workload, Path dir, String run) throws Exception;
}
