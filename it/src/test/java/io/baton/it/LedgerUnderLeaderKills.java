package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.it.HaCluster.JobManagerProcess;
import java.time.Duration;

/**
 * One Ledger job on two JobManagers and two TaskManagers whose leader is SIGKILLed a number of
 * times in a row (a fresh JobManager started each time, so there is always a standby). Each new
 * leader adopts the running tasks: the job finishes on the last leader, which reports as many
 * recoveries and reconciliations as kills and no restart, and its output holds every event exactly
 * once.
 */
final class LedgerUnderLeaderKills {
  private LedgerUnderLeaderKills() {}

  /** Runs {@code ledger} on {@code cluster}, kills its leader {@code kills} times, and asserts. */
  static void run(HaCluster cluster, Duration sessionTimeout, int kills, LedgerJob ledger)
      throws Exception {
    JobManagerProcess leader = cluster.startTwoJobManagersAnd(2);
    String jobId = cluster.submitAndAwaitCheckpoint(ledger, leader, 4, 0);

    for (int kill = 1; kill <= kills; kill++) {
      String token = leader.ha().orElseThrow().leaderTokenDigest();
      long checkpointBefore = HaCluster.latestCompletedCheckpoint(cluster.checkpoints(jobId));
      leader.kill();
      cluster.startJobManager("jm" + (kill + 2));
      leader = cluster.awaitNewLeader(token, sessionTimeout.plus(Duration.ofSeconds(60)));
      int recoveries = kill;
      Awaits.until(
          "recovery " + kill + " reported by " + leader,
          Duration.ofSeconds(60),
          () -> cluster.job(jobId).get("recoveries").asInt() == recoveries);
      if (kill < kills) {
        // let the job make progress on this leader before killing it
        cluster.awaitJobState(jobId, "RUNNING", Duration.ofSeconds(60));
        cluster.awaitCheckpointAfter(jobId, checkpointBefore, Duration.ofSeconds(60));
      }
    }

    cluster.awaitJobState(jobId, "FINISHED", Duration.ofMinutes(3));
    assertThat(leader.ha().orElseThrow().leader()).as("%s still leads", leader).isTrue();
    JsonNode job = leader.rest().getOk("/jobs/" + jobId);
    assertThat(job.get("state").asText()).isEqualTo("FINISHED");
    assertThat(job.get("recoveries").asInt()).as("recoveries").isEqualTo(kills);
    assertThat(job.get("reconciliations").asInt()).as("adoptions: %s", job).isEqualTo(kills);
    assertThat(job.get("restarts").asInt()).as("restarts").isZero();
    ledger.assertExactlyOnce();
  }
}
