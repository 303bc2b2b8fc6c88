package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.it.HaCluster.JobManagerProcess;
import java.nio.file.Path;
import java.time.Duration;
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

  @TempDir Path workDir;
  @RegisterExtension final HaClusterExtension ha = new HaClusterExtension();

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
    CheckpointInFlight.InProgress caught =
        CheckpointInFlight.freezeDuringACheckpoint(victim, leader, jobId);
    victim.kill();

    // the in-progress checkpoint fails with the TaskManager (failover, or its trigger failing)
    Awaits.until(
        "checkpoint " + caught.id() + " recorded FAILED",
        Duration.ofSeconds(60),
        () ->
            CheckpointInFlight.historyEntry(leader, jobId, caught.id())
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
}
