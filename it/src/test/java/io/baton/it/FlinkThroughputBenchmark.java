package io.baton.it;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Throughput, peak heap and CPU of the Ledger logic (keyed running balances, parallelism 2, a
 * checkpoint every second, exactly-once file output) on Baton and on Apache Flink 1.20.1, in each
 * {@link LedgerShape}: Baton's usual 3 JVMs against Flink's local cluster ({@code default}), one
 * TaskManager of 2 slots on both sides ({@code local-1tm}), and a JobManager with 2 TaskManagers,
 * each a JVM, on both sides ({@code session}). Within a shape, repetitions alternate Baton, Flink,
 * Baton, ... with fresh JVMs for every run. Writes the {@code throughput} part of the side-by-side
 * table; fails only when a side cannot run or its output is not exact.
 *
 * <p>Settings: {@code -Dbenchmark.events} (default 10 000 000), {@code -Dbenchmark.repetitions}
 * (default 3), {@code -Dbenchmark.shapes} (default {@code local-1tm,session,default}), {@code
 * -Dbenchmark.profile=jfr} (record a Flight Recorder profile of every Baton TaskManager and of
 * Flink's local JVM into {@code it/target/profiles/}, each with a text summary; see {@link
 * JfrProfiling}).
 */
class FlinkThroughputBenchmark {
  private static final long EVENTS = Long.getLong("benchmark.events", 10_000_000L);
  private static final int REPETITIONS = Integer.getInteger("benchmark.repetitions", 3);
  private static final LedgerWorkload WORKLOAD =
      new LedgerWorkload(EVENTS, 1000, 2, 1000, 0, false);
  static final List<String> HEAP = List.of("-Xmx1g", "-XX:+UseG1GC");

  @TempDir Path workDir;
  private final JfrProfiling profiling = JfrProfiling.fromSystemProperties();
  private final BatonLedgerSide baton =
      new BatonLedgerSide(HEAP, profiling, TestJars.examplesJar());
  private final FlinkLedgerSide flink = new FlinkLedgerSide(HEAP, profiling);

  @AfterEach
  void stopProcesses() throws Exception {
    try {
      baton.close();
    } finally {
      flink.close();
    }
  }

  @Test
  void ledgerOnBatonAgainstFlinkInEveryShape() throws Exception {
    List<LedgerShape> shapes = LedgerShape.fromSystemProperties();
    ComparisonReport report = new ComparisonReport("throughput");
    List<String> perRun = new ArrayList<>();
    for (LedgerShape shape : shapes) {
      AlternatingRuns.Both<SideRun> runs =
          AlternatingRuns.run(
              baton, flink, shape, WORKLOAD, workDir, "throughput", REPETITIONS, (r, d, l) -> r);
      addRows(report, shape, runs.baton(), runs.flink());
      perRun.add(perRunSetting(shape, runs.baton(), runs.flink()));
    }
    report
        .setting(
            String.format(
                Locale.ROOT,
                "Ledger: %,d events on %d keys (event i books amount i on account i %% %d),"
                    + " parallelism %d, a checkpoint every %d ms, exactly-once file output into"
                    + " a temporary directory on the same disk; shapes %s; %d repetition(s) per"
                    + " side and shape, alternating Baton, Flink, Baton, ..., every run in fresh"
                    + " JVMs (cold JIT on both sides)",
                EVENTS,
                WORKLOAD.keys(),
                WORKLOAD.keys(),
                WORKLOAD.parallelism(),
                WORKLOAD.checkpointIntervalMs(),
                shapes.stream().map(LedgerShape::id).toList(),
                REPETITIONS))
        .setting(
            "shapes: `default` = Baton JobManager + 2 TaskManagers (1 slot each) in 3 JVMs"
                + " against Flink's local cluster (MiniCluster, 1 TaskManager with 2 slots) in 1"
                + " JVM; `local-1tm` = Baton JobManager + 1 TaskManager with 2 slots in 2 JVMs"
                + " against the same Flink local cluster, records never cross a socket on either"
                + " side; `session` = Baton JobManager + 2 TaskManagers (1 slot each) against a"
                + " Flink session cluster of the same processes (StandaloneSessionClusterEntrypoint"
                + " + 2 TaskManagerRunner JVMs, 1 slot each, taskmanager.load-balance.mode SLOTS),"
                + " records cross loopback sockets on both sides")
        .setting(
            "Baton: heartbeats every 10 s with a 50 s timeout (Flink's defaults), "
                + String.join(" ", HEAP)
                + " each JVM, examples jar `ledger --rate 0 --checkpoint-interval "
                + WORKLOAD.checkpointIntervalMs()
                + "` submitted over REST, file:// checkpoints")
        .setting(
            "Flink 1.20.1: FlinkLedger's job (DataGeneratorSource, keyBy, ValueState,"
                + " StreamingFileSink bulk format with OnCheckpointRollingPolicy), HashMapStateBackend"
                + " and JobManager checkpoint storage; local: io.baton.flinkbench.LocalThroughputRun"
                + " in ONE JVM with "
                + String.join(" ", HEAP)
                + "; session: io.baton.flinkbench.FlinkLedger submitted over REST (POST"
                + " /jars/<id>/run), JVM sizes as Flink derives them (JobManager heap 1g,"
                + " TaskManager task heap 896m, network 128m, managed 0) and -XX:+UseG1GC")
        .setting(
            "records/s = events / the job's own duration. Baton and Flink's session cluster:"
                + " `end-time - start-time` of GET /jobs/{id} (submission to the dispatcher,"
                + " after main() ran, until FINISHED). Flink's local cluster:"
                + " JobExecutionResult.getNetRuntime() (job INITIALIZING at the JobMaster until"
                + " FINISHED). All include scheduling, deployment, the run and the final"
                + " checkpoint that commits the output; none includes JVM start or main().")
        .setting(
            "peak heap = largest heap-before-GC in each JVM's -Xlog:gc file (G1), summed over all"
                + " the side's JVMs (the JVM count is in the row); CPU s = utime + stime of"
                + " /proc/<pid>/stat summed over all the side's JVMs when the job FINISHED (Flink's"
                + " local JVM: its last reading, every 100 ms, before it exited); both include JVM"
                + " start-up, the cluster's and the job's work, and unlike records/s hardly depend"
                + " on what else the machine runs")
        .setting(
            "idle heap = each JVM's used heap (S0U+S1U+EU+OU of `jstat -gc`) right after `jcmd"
                + " <pid> GC.run`, read once the cluster is up and before the job is submitted,"
                + " summed over the side's JVMs; a row only where both sides have an idle cluster"
                + " (Flink's local cluster exists only while its job runs: `null` per run)")
        .setting(
            "both file sinks write lines through a 64 KiB buffer: Baton's FileSink, and on Flink"
                + " a StreamingFileSink bulk format with a buffered line writer"
                + " (io.baton.flinkbench.BufferedLines), rolled at every checkpoint; Flink's row"
                + " format would write every record unbuffered to the local file")
        .setting(
            "every run's output verified: Baton with `ledger --verify` (every event once, every"
                + " running balance right); Flink with FlinkLedger --verify (every event once,"
                + " every account's final balance right; Flink's source splits make intermediate"
                + " balances timing-dependent)");
    perRun.forEach(report::setting);
    report.write();
  }

  private static void addRows(
      ComparisonReport report, LedgerShape shape, List<SideRun> baton, List<SideRun> flink) {
    String benchmark = WORKLOAD.label() + "; " + shape.label();
    String median = " (median of " + REPETITIONS + ")";
    report
        .row(
            benchmark,
            "records/s" + median,
            Math.round(EVENTS / (median(baton, SideRun::millis) / 1000.0)),
            Math.round(EVENTS / (median(flink, SideRun::millis) / 1000.0)))
        .row(
            benchmark,
            "peak heap MiB, all JVMs summed (Baton "
                + shape.batonJvms()
                + ", Flink "
                + shape.flinkJvms()
                + ")"
                + median,
            median(baton, SideRun::peakHeapMiB),
            median(flink, SideRun::peakHeapMiB))
        .row(
            benchmark,
            "CPU s, all JVMs from start to the job's end" + median,
            median(baton, r -> Math.round(r.cpuSeconds() * 10)) / 10.0,
            median(flink, r -> Math.round(r.cpuSeconds() * 10)) / 10.0);
    if (flink.get(0).idleHeap() != null) {
      report.row(
          benchmark,
          "heap MiB after a full GC, idle cluster before the job, all JVMs summed" + median,
          median(baton, r -> Math.round(r.idleHeap().totalMiB() * 10)) / 10.0,
          median(flink, r -> Math.round(r.idleHeap().totalMiB() * 10)) / 10.0);
    }
  }

  private static String perRunSetting(LedgerShape shape, List<SideRun> baton, List<SideRun> flink) {
    return "shape "
        + shape.id()
        + ", per run: records/s Baton "
        + rates(baton)
        + ", Flink "
        + rates(flink)
        + "; peak heap MiB Baton "
        + heaps(baton)
        + ", Flink "
        + heaps(flink)
        + "; CPU Baton "
        + cpu(baton)
        + ", Flink "
        + cpu(flink)
        + "; idle heap after a full GC MiB Baton "
        + baton.stream().map(SideRun::idleHeap).toList()
        + ", Flink "
        + flink.stream().map(SideRun::idleHeap).toList();
  }

  /** The median of a measure over the runs (of an even count, the mean of the middle two). */
  private static long median(List<SideRun> runs, ToLongFunction<SideRun> measure) {
    return MedianRange.median(runs.stream().mapToLong(measure).toArray());
  }

  private static String rates(List<SideRun> runs) {
    return String.join(
        ", ",
        runs.stream()
            .map(
                r ->
                    String.format(
                        Locale.ROOT, "%,.0f (%,d ms)", r.recordsPerSecond(EVENTS), r.millis()))
            .toList());
  }

  private static String heaps(List<SideRun> runs) {
    return String.join("; ", runs.stream().map(SideRun::heapDetail).toList());
  }

  private static String cpu(List<SideRun> runs) {
    return String.join(
        ", ",
        runs.stream().map(r -> String.format(Locale.ROOT, "%.1f s", r.cpuSeconds())).toList());
  }
}
