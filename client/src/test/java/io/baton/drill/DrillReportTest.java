package io.baton.drill;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.drill.FaultResult.Outcome;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The drill's rows and its summary line. */
class DrillReportTest {
  private static final String SUMMARY =
      "drill: faults=\\d+ recovered=\\d+ lost=\\d+ duplicated=\\d+ failover_ms_median=\\d+"
          + " failover_ms_max=\\d+";

  private static FaultResult failover(int n, long recoveryMs) {
    return new FaultResult(
        n,
        "leader SIGKILL pid 4711 localhost:8081",
        "localhost:8081",
        "localhost:8082",
        recoveryMs - 1000,
        recoveryMs,
        "chk-" + n,
        Outcome.FAILOVER);
  }

  private static FaultResult noFailover(int n) {
    return new FaultResult(
        n,
        "standby SIGTERM pid 4790 localhost:8082",
        "localhost:8081",
        "localhost:8081",
        null,
        null,
        "-",
        Outcome.NO_FAILOVER);
  }

  @Test
  void summaryHasTheExactFormWithMedianAndMaxOfTheFailoversOnly() {
    List<FaultResult> results =
        List.of(failover(1, 61_000), noFailover(2), failover(3, 5_000), failover(4, 9_000));

    String summary = DrillReport.summary(results, 0, 0);

    assertThat(summary).matches(SUMMARY);
    assertThat(summary)
        .isEqualTo(
            "drill: faults=4 recovered=4 lost=0 duplicated=0 failover_ms_median=9000"
                + " failover_ms_max=61000");
  }

  @Test
  void aFaultNotRecoveredCountsAsAFaultButNotAsRecovered() {
    FaultResult lostJob =
        new FaultResult(
            2,
            "zookeeper SIGKILL pid 1 127.0.0.1:2181",
            "a:1",
            "-",
            null,
            null,
            "-",
            Outcome.NOT_RECOVERED);

    String summary = DrillReport.summary(List.of(failover(1, 4_000), lostJob), 12, 3);

    assertThat(summary)
        .isEqualTo(
            "drill: faults=2 recovered=1 lost=12 duplicated=3 failover_ms_median=4000"
                + " failover_ms_max=4000");
  }

  @Test
  void withoutFailoversTheTimesAreZero() {
    assertThat(DrillReport.summary(List.of(noFailover(1)), 0, 0))
        .isEqualTo(
            "drill: faults=1 recovered=1 lost=0 duplicated=0 failover_ms_median=0"
                + " failover_ms_max=0");
    assertThat(DrillReport.summary(List.of(), 0, 0)).matches(SUMMARY);
  }

  @Test
  void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    assertThat(DrillReport.median(List.of(7L))).isEqualTo(7);
    assertThat(DrillReport.median(List.of(30L, 10L, 20L))).isEqualTo(20);
    assertThat(DrillReport.median(List.of(40L, 10L, 20L, 31L))).isEqualTo(25);
    assertThat(DrillReport.median(List.of())).isZero();
  }

  @Test
  void rowsNameWhatWasHitTheLeadersTheTimesAndTheCheckpoint() {
    StringWriter out = new StringWriter();
    DrillReport report = new DrillReport(new PrintWriter(out, true));

    report.header();
    report.add(failover(1, 6_200));
    report.add(noFailover(2));

    List<String> lines = out.toString().lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0).split("\\s+"))
        .containsExactly(
            "fault",
            "hit",
            "old",
            "leader",
            "new",
            "leader",
            "detection_ms",
            "recovery_ms",
            "restored_from");
    assertThat(lines.get(1).split("\\s+"))
        .containsExactly(
            "1",
            "leader",
            "SIGKILL",
            "pid",
            "4711",
            "localhost:8081",
            "localhost:8081",
            "localhost:8082",
            "5200",
            "6200",
            "chk-1");
    assertThat(lines.get(2))
        .contains("standby SIGTERM pid 4790 localhost:8082")
        .contains(" - ")
        .contains("no failover");
    assertThat(report.allRecovered()).isTrue();
  }
}
