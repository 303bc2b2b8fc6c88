package io.baton.drill;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.drill.ClusterRest.Leader;
import io.baton.drill.FaultResult.Outcome;
import io.baton.drill.JobSnapshot.Subtask;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How one look at the cluster after a fault settles the fault's row, or not yet. */
class RecoveryWatchTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final Leader OLD =
      new Leader("localhost:8081", "http://localhost:8081", "s1", T0 - 60_000);
  private static final Leader NEW =
      new Leader("localhost:8082", "http://localhost:8082", "s2", T0 + 4_200);
  private static final RecoveryWatch.Expectation MUST_FAIL_OVER =
      new RecoveryWatch.Expectation(Duration.ZERO, null, Duration.ofMinutes(3));
  private static final RecoveryWatch.Expectation MAY_PASS_UNNOTICED =
      new RecoveryWatch.Expectation(Duration.ZERO, Duration.ofSeconds(9), Duration.ofMinutes(3));

  private static RecoveryWatch watchAt(long now) {
    return new RecoveryWatch(
        new ClusterRest(),
        List.of("localhost:8081", "localhost:8082"),
        null,
        new Poller(
            Clock.fixed(Instant.ofEpochMilli(now), ZoneOffset.UTC),
            span -> {
              throw new AssertionError("judging a snapshot never waits");
            }));
  }

  private static JobSnapshot job(long restoredCheckpoint, long restoredAt, Subtask... subtasks) {
    return new JobSnapshot(
        "RUNNING", List.of(subtasks), restoredCheckpoint, restoredAt, 1, restoredCheckpoint, 0, -1);
  }

  /** The new leader adopted the job's tasks at {@code adoptedAt}: none restored, none restarted. */
  private static JobSnapshot adopted(long adoptedAt, Subtask... subtasks) {
    return new JobSnapshot("RUNNING", List.of(subtasks), -1, -1, 1, -1, 1, adoptedAt);
  }

  private static Subtask running(int index, long created, long running) {
    return new Subtask(1, index, "RUNNING", "tm-1", created, running);
  }

  @Test
  void aNewLeaderWithEveryTaskRunningAgainSettlesAFailover() {
    JobSnapshot recovered =
        job(12, T0 + 4_500, running(0, T0 + 4_400, T0 + 6_000), running(1, T0 + 4_400, T0 + 6_300));

    Optional<FaultResult> result =
        watchAt(T0 + 7_000)
            .judge(1, "leader SIGKILL", OLD, NEW, recovered, T0, false, T0, MUST_FAIL_OVER);

    assertThat(result)
        .hasValueSatisfying(
            r -> {
              assertThat(r.outcome()).isEqualTo(Outcome.FAILOVER);
              assertThat(r.detectionMs()).isEqualTo(4_200);
              assertThat(r.recoveryMs()).isEqualTo(6_300);
              assertThat(r.restoredFrom()).isEqualTo("chk-12");
              assertThat(r.oldLeader()).isEqualTo("localhost:8081");
              assertThat(r.newLeader()).isEqualTo("localhost:8082");
            });
  }

  @Test
  void aNewLeaderThatAdoptedTheRunningTasksSettlesAReconciledFailover() {
    JobSnapshot reconciled =
        adopted(T0 + 5_100, running(0, T0 - 9_000, T0 - 8_000), running(1, T0 - 9_000, T0 - 8_000));

    Optional<FaultResult> result =
        watchAt(T0 + 6_000)
            .judge(1, "leader SIGKILL", OLD, NEW, reconciled, T0, false, T0, MUST_FAIL_OVER);

    assertThat(result)
        .hasValueSatisfying(
            r -> {
              assertThat(r.outcome()).isEqualTo(Outcome.FAILOVER);
              assertThat(r.detectionMs()).isEqualTo(4_200);
              assertThat(r.recoveryMs()).isEqualTo(5_100);
              assertThat(r.restoredFrom()).isEqualTo("reconciled");
            });
    assertThat(DrillReport.row(result.get())).endsWith(" 5100 reconciled");
  }

  @Test
  void anAdoptionBeforeTheFaultIsNotThisFaultsRecovery() {
    JobSnapshot adoptedEarlier =
        adopted(
            T0 - 30_000,
            running(0, T0 - 40_000, T0 - 39_000),
            running(1, T0 - 40_000, T0 - 39_000));

    assertThat(
            watchAt(T0 + 7_000)
                .judge(1, "x", OLD, NEW, adoptedEarlier, T0, false, T0, MUST_FAIL_OVER))
        .isEmpty();
  }

  @Test
  void aTaskStillDeployingOrFromBeforeTheFaultIsNotRecoveredYet() {
    JobSnapshot deploying =
        job(
            12,
            T0 + 4_500,
            running(0, T0 + 4_400, T0 + 6_000),
            new Subtask(1, 1, "DEPLOYING", "tm-1", T0 + 4_400, -1));
    JobSnapshot oldAttempt =
        job(-1, -1, running(0, T0 - 9_000, T0 - 8_000), running(1, T0 - 9_000, T0 - 8_000));

    assertThat(
            watchAt(T0 + 7_000).judge(1, "x", OLD, NEW, deploying, T0, false, T0, MUST_FAIL_OVER))
        .isEmpty();
    // the old leader still answers for the job: nothing happened yet, and nothing may be concluded
    assertThat(
            watchAt(T0 + 70_000).judge(1, "x", OLD, OLD, oldAttempt, T0, false, T0, MUST_FAIL_OVER))
        .isEmpty();
  }

  @Test
  void aRestartUnderTheSameLeaderHasNoDetectionTime() {
    JobSnapshot restarted =
        job(4, T0 + 2_000, running(0, T0 + 1_900, T0 + 3_000), running(1, T0 + 1_900, T0 + 3_100));

    Optional<FaultResult> result =
        watchAt(T0 + 4_000)
            .judge(
                1, "taskmanager SIGKILL", OLD, OLD, restarted, T0, false, T0, MAY_PASS_UNNOTICED);

    assertThat(result)
        .hasValueSatisfying(
            r -> {
              assertThat(r.outcome()).isEqualTo(Outcome.FAILOVER);
              assertThat(r.detectionMs()).isNull();
              assertThat(r.recoveryMs()).isEqualTo(3_100);
              assertThat(r.restoredFrom()).isEqualTo("chk-4");
            });
  }

  @Test
  void anUndisturbedJobIsNoFailoverOnlyAfterTheQuietTime() {
    JobSnapshot untouched =
        job(-1, -1, running(0, T0 - 9_000, T0 - 8_000), running(1, T0 - 9_000, T0 - 8_000));

    assertThat(
            watchAt(T0 + 5_000)
                .judge(1, "x", OLD, OLD, untouched, T0, false, T0, MAY_PASS_UNNOTICED))
        .isEmpty();
    assertThat(
            watchAt(T0 + 9_000)
                .judge(1, "x", OLD, OLD, untouched, T0, false, T0, MAY_PASS_UNNOTICED))
        .hasValueSatisfying(
            r -> {
              assertThat(r.outcome()).isEqualTo(Outcome.NO_FAILOVER);
              assertThat(r.recoveryMs()).isNull();
              assertThat(r.recovered()).isTrue();
              assertThat(r.restoredFrom()).isEqualTo("-");
            });
  }

  @Test
  void nothingIsSettledWhileTheVictimIsPaused() {
    JobSnapshot recovered =
        job(12, T0 + 4_500, running(0, T0 + 4_400, T0 + 6_000), running(1, T0 + 4_400, T0 + 6_300));

    assertThat(watchAt(T0 + 7_000).judge(1, "x", OLD, NEW, recovered, T0, true, -1, MUST_FAIL_OVER))
        .isEmpty();
  }
}
