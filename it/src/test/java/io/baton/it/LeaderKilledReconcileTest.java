package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.it.HaCluster.JobManagerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ledger with checkpoints every 200 ms on two JobManagers and two TaskManagers, with {@code
 * jobmanager.failover.reconcile: true}; the leader is killed with SIGKILL once mid-job. The new
 * leader adopts the running tasks: the job is not restarted (restarts 0, every subtask keeps its
 * attempt number), checkpoints complete again after the kill, the job finishes and its output holds
 * every event exactly once.
 */
class LeaderKilledReconcileTest {
  private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(3);

  @TempDir Path workDir;
  @RegisterExtension final HaClusterExtension ha = new HaClusterExtension();

  @Test
  void newLeaderAdoptsTheRunningLedgerJob() throws Exception {
    HaCluster cluster =
        ha.start(
            ZooKeeperEnsemble.single(),
            "leader-kill-reconcile",
            workDir,
            SESSION_TIMEOUT,
            c -> c.setString("jobmanager.failover.reconcile", "true"));
    // 24 s of events: its sources still run at the kill (a finished task is not adopted)
    LedgerJob ledger = new LedgerJob(120_000, 17, 5_000, 200, workDir.resolve("out"));
    JobManagerProcess leader = cluster.startTwoJobManagersAnd(2);
    String jobId = cluster.submitAndAwaitCheckpoint(ledger, leader, 4, 0);
    List<Integer> attemptsBefore = attempts(leader, jobId);
    long checkpointBefore = HaCluster.latestCompletedCheckpoint(cluster.checkpoints(jobId));

    String token = leader.ha().orElseThrow().leaderTokenDigest();
    leader.kill();
    leader = cluster.awaitNewLeader(token, SESSION_TIMEOUT.plus(Duration.ofSeconds(60)));
    Awaits.until(
        "the recovery reported by the new leader",
        Duration.ofSeconds(60),
        () -> cluster.job(jobId).get("recoveries").asInt() == 1);
    cluster.awaitJobState(jobId, "RUNNING", Duration.ofSeconds(60));

    JsonNode job = cluster.job(jobId);
    assertThat(job.get("restarts").asInt()).as("restarts").isZero();
    assertThat(attempts(leader, jobId)).as("attempt numbers").isEqualTo(attemptsBefore);
    assertThat(job.get("reconciliations").asInt()).as("reconciliations").isEqualTo(1);
    assertThat(job.get("events").get(0).get("message").asText())
        .as("the job's history")
        .isEqualTo("adopted " + attemptsBefore.size() + " tasks from leader " + token);
    assertThat(leader.process().logText())
        .contains("adopted " + attemptsBefore.size() + " tasks from leader " + token)
        .contains("none restarted");
    cluster.awaitCheckpointAfter(jobId, checkpointBefore, Duration.ofSeconds(60));

    cluster.awaitJobState(jobId, "FINISHED", Duration.ofMinutes(3));
    assertThat(cluster.job(jobId).get("restarts").asInt()).as("restarts at the end").isZero();
    ledger.assertExactlyOnce();
  }

  /** Every subtask's attempt number, vertex by vertex. */
  private static List<Integer> attempts(JobManagerProcess leader, String jobId) {
    List<Integer> attempts = new ArrayList<>();
    for (JsonNode vertex : leader.rest().getOk("/jobs/" + jobId).get("vertices")) {
      JsonNode times =
          leader
              .rest()
              .getOk("/jobs/" + jobId + "/vertices/" + vertex.get("id").asText() + "/subtasktimes");
      for (JsonNode subtask : times.get("subtasks")) {
        attempts.add(subtask.get("attempt").asInt());
      }
    }
    return attempts;
  }
}
