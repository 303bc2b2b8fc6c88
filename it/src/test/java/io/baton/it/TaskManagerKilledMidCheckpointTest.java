package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.it.HaCluster.JobManagerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ledger with checkpoints every 200 ms at parallelism 2 on an HA cluster (two JobManagers, two
 * TaskManagers of two slots, so each TaskManager runs one subtask of every vertex); a TaskManager
 * is killed with SIGKILL while a checkpoint is in progress. The leader stays, the interrupted
 * checkpoint is recorded FAILED, the job restarts on the remaining TaskManager from the latest
 * COMPLETED checkpoint (older than the interrupted one) and its output holds every event exactly
 * once.
 *
 * <p>To kill it while it still owes its part of the checkpoint (not merely while the REST API last
 * said one was in progress), the TaskManager is frozen with SIGSTOP first, then the test waits for
 * {@code GET /jobs/{id}/checkpoints} to show a checkpoint triggered after the freeze in progress:
 * its barrier cannot have reached the frozen TaskManager's source, so it cannot complete. Then
 * SIGKILL. The freeze lasts about one checkpoint interval, below the heartbeat timeout.
 */
class TaskManagerKilledMidCheckpointTest {
  private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(3);
  private static final int FREEZE_ATTEMPTS = 10;
  // long enough for a trigger (every 200 ms), short against the 3 s heartbeat timeout
  private static final Duration FREEZE_WINDOW = Duration.ofMillis(1500);

  @TempDir Path workDir;
  @RegisterExtension final HaClusterExtension ha = new HaClusterExtension();

  /** The checkpoint caught in progress, and the latest completed one when it was triggered. */
  private record InProgress(long id, long latestCompleted) {}

  @Test
  void jobRestartsFromTheLatestCompletedCheckpointNotTheInterruptedOne() throws Exception {
    HaCluster cluster =
        ha.start(
            ZooKeeperEnsemble.single(),
            "tm-killed-mid-checkpoint",
            workDir,
            SESSION_TIMEOUT,
            c -> c);
    JobManagerProcess leader = cluster.startTwoJobManagersAnd(2);
    String token = leader.ha().orElseThrow().leaderTokenDigest();

    // 15 s of events at full rate: still running at the freeze, after two checkpoints that take
    // seconds each on a busy machine
    LedgerJob ledger = new LedgerJob(300_000, 23, 20_000, 200, workDir.resolve("out"));
    String jobId = cluster.submitAndAwaitCheckpoint(ledger, leader, 2, 1);
    JsonNode taskManagers = leader.rest().getOk("/taskmanagers").get("taskmanagers");
    assertThat(taskManagers)
        .as("TaskManagers running the job (one slot of each taken): %s", taskManagers)
        .hasSize(2)
        .allSatisfy(tm -> assertThat(tm.get("freeSlots").asInt()).isEqualTo(1));

    JvmProcess victim = cluster.taskManagers().get(0);
    InProgress caught = freezeDuringACheckpoint(victim, leader, jobId);
    victim.kill();

    // the in-progress checkpoint fails with the TaskManager (failover, or its trigger failing)
    Awaits.until(
        "checkpoint " + caught.id() + " recorded FAILED",
        Duration.ofSeconds(60),
        () ->
            historyEntry(leader, jobId, caught.id())
                .map(e -> e.get("status").asText())
                .orElse("")
                .equals("FAILED"));
    Awaits.until(
        "the job restarted from a checkpoint",
        Duration.ofSeconds(60),
        () ->
            leader.rest().getOk("/jobs/" + jobId).get("restarts").asInt() >= 1
                && leader
                    .rest()
                    .getOk("/jobs/" + jobId + "/checkpoints")
                    .get("latest")
                    .hasNonNull("restored"));
    JsonNode restored =
        leader.rest().getOk("/jobs/" + jobId + "/checkpoints").get("latest").get("restored");
    assertThat(restored.get("id").asLong())
        .as("checkpoint restored after the kill (%s); %d was in progress", restored, caught.id())
        .isLessThan(caught.id())
        .isEqualTo(caught.latestCompleted());
    assertThat(restored.get("external_path").asText()).contains(jobId);

    cluster.awaitJobState(jobId, "FINISHED", Duration.ofMinutes(3));
    JsonNode job = leader.rest().getOk("/jobs/" + jobId);
    assertThat(leader.ha().orElseThrow().leaderTokenDigest())
        .as("fencing token of %s after the job ended", leader)
        .isEqualTo(token);
    assertThat(job.get("recoveries").asInt()).as("recoveries by a new leader").isZero();
    assertThat(job.get("restarts").asInt()).as("restarts").isPositive();
    ledger.assertExactlyOnce();
  }

  /**
   * Freezes {@code victim} and waits for a checkpoint triggered after the freeze to be in progress.
   * A checkpoint triggered just before the freeze may still be in flight and hold back the next
   * trigger (one at a time): then the victim is thawed, well within the heartbeat timeout, and
   * frozen again once no checkpoint is in flight.
   */
  private InProgress freezeDuringACheckpoint(
      JvmProcess victim, JobManagerProcess leader, String jobId) throws Exception {
    for (int attempt = 1; attempt <= FREEZE_ATTEMPTS; attempt++) {
      Awaits.until(
          "no checkpoint of " + jobId + " in progress",
          Duration.ofSeconds(60),
          () -> checkpoints(leader, jobId).get("counts").get("in_progress").asInt() == 0);
      victim.pause();
      long frozenAt = System.currentTimeMillis();
      AtomicReference<InProgress> caught = new AtomicReference<>();
      try {
        await("a checkpoint triggered after " + victim.name() + " froze")
            .atMost(FREEZE_WINDOW)
            .pollInterval(Duration.ofMillis(20))
            .until(() -> triggeredSince(leader, jobId, frozenAt, caught));
        return caught.get();
      } catch (ConditionTimeoutException stuckOrSlow) {
        victim.resume();
      }
    }
    throw new AssertionError(
        "no checkpoint of "
            + jobId
            + " triggered within "
            + FREEZE_WINDOW
            + " of freezing "
            + victim.name()
            + ", "
            + FREEZE_ATTEMPTS
            + " times: "
            + checkpoints(leader, jobId));
  }

  /**
   * Whether a checkpoint triggered at or after {@code since} is in progress; sets it in {@code
   * found}.
   */
  private static boolean triggeredSince(
      JobManagerProcess leader, String jobId, long since, AtomicReference<InProgress> found) {
    JsonNode stats = checkpoints(leader, jobId);
    for (JsonNode e : stats.get("history")) {
      if (e.get("status").asText().equals("IN_PROGRESS")
          && e.get("trigger_timestamp").asLong() >= since) {
        found.set(new InProgress(e.get("id").asLong(), HaCluster.latestCompletedCheckpoint(stats)));
        return true;
      }
    }
    return false;
  }

  private static JsonNode checkpoints(JobManagerProcess leader, String jobId) {
    return leader.rest().getOk("/jobs/" + jobId + "/checkpoints");
  }

  private static Optional<JsonNode> historyEntry(JobManagerProcess leader, String jobId, long id) {
    for (JsonNode e : checkpoints(leader, jobId).get("history")) {
      if (e.get("id").asLong() == id) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }
}
