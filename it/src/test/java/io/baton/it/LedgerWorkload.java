package io.baton.it;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One Ledger job as both sides run it: N bookings on K accounts, keyed running balances, a
 * checkpoint every interval, exactly-once file output. At a fixed {@code rate} with {@code latency}
 * set, each event carries the time its source made it and the operator in front of the file sink
 * records now minus that time into a histogram per subtask (see {@link LatencyHistograms}); the
 * output lines are the same as without it, so the same verifiers check them.
 *
 * @param rate events per second over all source subtasks; 0 for as fast as possible
 * @param latency whether to stamp events at the source and record their latency at the sink
 */
record LedgerWorkload(
    long events, int keys, int parallelism, long checkpointIntervalMs, long rate, boolean latency) {

  /** What the job is, for the report's benchmark column. */
  String label() {
    return String.format(
        Locale.ROOT,
        "Ledger%s, %,d events, %d keys, parallelism %d, checkpoint every %d ms",
        rate > 0 ? String.format(Locale.ROOT, " at %,d events/s", rate) : "",
        events,
        keys,
        parallelism,
        checkpointIntervalMs);
  }

  /**
   * The program arguments of Baton's job (examples' {@code ledger}, or {@link LatencyLedgerJob}).
   */
  List<String> batonArguments(Path output, Path histograms) {
    List<String> args = new ArrayList<>();
    if (!latency) {
      args.add("ledger");
    }
    args.addAll(common(output));
    if (latency) {
      args.addAll(List.of("--latency-histograms", histograms.toString()));
    }
    return args;
  }

  /** The program arguments of Flink's job (io.baton.flinkbench.FlinkLedger and its local run). */
  List<String> flinkArguments(Path output, Path histograms) {
    List<String> args = new ArrayList<>(common(output));
    args.addAll(List.of("--parallelism", Integer.toString(parallelism)));
    if (latency) {
      args.addAll(List.of("--latency-histograms", histograms.toString()));
    }
    return args;
  }

  private List<String> common(Path output) {
    return List.of(
        "--events",
        Long.toString(events),
        "--keys",
        Integer.toString(keys),
        "--rate",
        Long.toString(rate),
        "--checkpoint-interval",
        Long.toString(checkpointIntervalMs),
        "--output",
        output.toString());
  }
}
