package io.baton.it;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end latency of the Ledger logic at a fixed rate below saturation on Baton and on Apache
 * Flink 1.20.1, in each {@link LedgerShape} (the same shapes and sides as {@link
 * FlinkThroughputBenchmark}): every event is stamped with the wall clock by its source, and the
 * operator in front of the file sink records now minus the stamp per record (Baton: {@link
 * LatencyLedgerJob}; Flink: {@code io.baton.flinkbench.LatencyLedger}). Reports p50, p99 and max
 * per side and shape, each the median over the repetitions, and every run's output verified
 * exactly-once as in the throughput comparison. Writes the {@code latency} part of the table.
 *
 * <p>Settings: {@code -Dbenchmark.latency.rate} (events/s over both source subtasks, default 50
 * 000), {@code -Dbenchmark.latency.events} (default 3 000 000, a minute at the default rate),
 * {@code -Dbenchmark.repetitions} (default 3) and {@code -Dbenchmark.shapes} as for throughput.
 */
class FlinkLatencyBenchmark {
  private static final long RATE = Long.getLong("benchmark.latency.rate", 50_000L);
  private static final long EVENTS = Long.getLong("benchmark.latency.events", 3_000_000L);
  private static final int REPETITIONS = Integer.getInteger("benchmark.repetitions", 3);
  private static final LedgerWorkload WORKLOAD =
      new LedgerWorkload(EVENTS, 1000, 2, 1000, RATE, true);

  /** One run's latencies in microseconds. */
  private record Latency(long p50, long p99, long max, long count) {
    static Latency of(Histogram h) {
      return new Latency(
          h.getValueAtPercentile(50),
          h.getValueAtPercentile(99),
          h.getMaxValue(),
          h.getTotalCount());
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT, "p50 %.1f / p99 %.1f / max %.1f ms", p50 / 1e3, p99 / 1e3, max / 1e3);
    }
  }

  @TempDir Path workDir;
  private final JfrProfiling profiling = JfrProfiling.fromSystemProperties();
  private BatonLedgerSide baton;
  private final FlinkLedgerSide flink =
      new FlinkLedgerSide(FlinkThroughputBenchmark.HEAP, profiling);

  @AfterEach
  void stopProcesses() throws Exception {
    try {
      if (baton != null) {
        baton.close();
      }
    } finally {
      flink.close();
    }
  }

  @Test
  void ledgerLatencyOnBatonAgainstFlinkInEveryShape() throws Exception {
    Path jar =
        TestJars.jar(
            workDir.resolve("jars"),
            "ledger-latency.jar",
            LatencyLedgerJob.class,
            LatencyLedgerJob.class,
            LatencyHistograms.class);
    baton = new BatonLedgerSide(FlinkThroughputBenchmark.HEAP, profiling, jar);
    List<LedgerShape> shapes = LedgerShape.fromSystemProperties();
    ComparisonReport report = new ComparisonReport("latency");
    List<String> perRun = new ArrayList<>();
    for (LedgerShape shape : shapes) {
      AlternatingRuns.Both<Latency> runs =
          AlternatingRuns.run(
              baton,
              flink,
              shape,
              WORKLOAD,
              workDir,
              "latency",
              REPETITIONS,
              (run, dir, label) -> measured(dir, label));
      addRows(report, shape, runs.baton(), runs.flink());
      perRun.add(
          "shape " + shape.id() + ", per run: Baton " + runs.baton() + "; Flink " + runs.flink());
    }
    report
        .setting(
            String.format(
                Locale.ROOT,
                "Ledger at a fixed %,d events/s over both source subtasks (below either side's"
                    + " saturation), %,d events on %d keys, parallelism %d, a checkpoint every %d"
                    + " ms, exactly-once file output; shapes %s as in the throughput rows;"
                    + " %d repetition(s) per side and shape, alternating, fresh JVMs every run",
                RATE,
                EVENTS,
                WORKLOAD.keys(),
                WORKLOAD.parallelism(),
                WORKLOAD.checkpointIntervalMs(),
                shapes.stream().map(LedgerShape::id).toList(),
                REPETITIONS))
        .setting(
            "latency = wall clock when the record reaches the map in front of the file sink minus"
                + " the wall clock its source stamped into the event (microseconds, Instant.now()"
                + " in both JVMs of the one machine), every record of the run, warm-up included,"
                + " in an HdrHistogram (3 significant digits) per sink subtask, merged per run;"
                + " p50/p99/max in ms are each the median over the repetitions (of an even count, the mean of the middle two). Neither side's"
                + " network flushing is tuned: Flink's buffer timeout is its default 100 ms,"
                + " Baton's output flushing its default")
        .setting(
            "Baton: LatencyLedgerJob (the examples' ledger with a stamp per event) submitted over"
                + " REST as a job jar; Flink: io.baton.flinkbench.LatencyLedger (FlinkLedger's job"
                + " with a stamp per event, DataGeneratorSource with"
                + " RateLimiterStrategy.perSecond); output verified as in the throughput rows");
    perRun.forEach(report::setting);
    report.write();
  }

  private static Latency measured(Path dir, String run) throws Exception {
    Latency latency = Latency.of(LatencyHistograms.merged(dir.resolve("histograms")));
    if (latency.count() != EVENTS) {
      throw new AssertionError(
          run + " recorded the latency of " + latency.count() + " records, not " + EVENTS);
    }
    return latency;
  }

  private static void addRows(
      ComparisonReport report, LedgerShape shape, List<Latency> baton, List<Latency> flink) {
    String benchmark = WORKLOAD.label() + "; " + shape.label();
    String median = " (median of " + REPETITIONS + ")";
    addRow(report, benchmark, "p50 ms, source to sink" + median, baton, flink, Latency::p50);
    addRow(report, benchmark, "p99 ms, source to sink" + median, baton, flink, Latency::p99);
    addRow(report, benchmark, "max ms, source to sink" + median, baton, flink, Latency::max);
  }

  private static void addRow(
      ComparisonReport report,
      String benchmark,
      String measure,
      List<Latency> baton,
      List<Latency> flink,
      ToLongFunction<Latency> micros) {
    report.row(
        benchmark,
        measure,
        Math.round(median(baton, micros) / 100.0) / 10.0,
        Math.round(median(flink, micros) / 100.0) / 10.0);
  }

  private static long median(List<Latency> runs, ToLongFunction<Latency> micros) {
    return MedianRange.median(runs.stream().mapToLong(micros).toArray());
  }
}
