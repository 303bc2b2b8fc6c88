package io.baton.drill;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The drill's table: a header, one row per fault as it completes, and the summary line {@code
 * drill: faults=.. recovered=.. lost=.. duplicated=.. failover_ms_median=.. failover_ms_max=..}.
 * Faults without a failover count as recovered but not in the failover times.
 */
final class DrillReport {
  private static final String ROW = "%-5s %-44s %-16s %-16s %12s %13s %s";

  private final PrintWriter out;
  private final List<FaultResult> results = new ArrayList<>();

  DrillReport(PrintWriter out) {
    this.out = out;
  }

  void header() {
    out.println(
        String.format(
            ROW,
            "fault",
            "hit",
            "old leader",
            "new leader",
            "detection_ms",
            "recovery_ms",
            "restored_from"));
    out.flush();
  }

  void add(FaultResult result) {
    results.add(result);
    out.println(row(result));
    out.flush();
  }

  List<FaultResult> results() {
    return List.copyOf(results);
  }

  /** Whether every fault was recovered. */
  boolean allRecovered() {
    return results.stream().allMatch(FaultResult::recovered);
  }

  static String row(FaultResult r) {
    String recovery =
        switch (r.outcome()) {
          case FAILOVER -> String.valueOf(r.recoveryMs());
          case NO_FAILOVER -> "no failover";
          case JOB_FINISHED -> "job finished";
          case NOT_RECOVERED -> "not recovered";
        };
    return String.format(
        ROW,
        r.number(),
        r.hit(),
        r.oldLeader(),
        r.newLeader(),
        r.detectionMs() == null ? "-" : String.valueOf(r.detectionMs()),
        recovery,
        r.restoredFrom());
  }

  /** The summary line of {@code results} with the verifier's counts. */
  static String summary(List<FaultResult> results, long lost, long duplicated) {
    List<Long> failovers =
        results.stream()
            .filter(r -> r.outcome() == FaultResult.Outcome.FAILOVER)
            .map(FaultResult::recoveryMs)
            .toList();
    return "drill: faults="
        + results.size()
        + " recovered="
        + results.stream().filter(FaultResult::recovered).count()
        + " lost="
        + lost
        + " duplicated="
        + duplicated
        + " failover_ms_median="
        + median(failovers)
        + " failover_ms_max="
        + failovers.stream().mapToLong(Long::longValue).max().orElse(0);
  }

  /** The median, the mean of the middle two (rounded down) for an even count; 0 for none. */
  static long median(List<Long> values) {
    if (values.isEmpty()) {
      return 0;
    }
    List<Long> sorted = values.stream().sorted().toList();
    int middle = sorted.size() / 2;
    if (sorted.size() % 2 == 1) {
      return sorted.get(middle);
    }
    return Math.floorDiv(sorted.get(middle - 1) + sorted.get(middle), 2);
  }
}
