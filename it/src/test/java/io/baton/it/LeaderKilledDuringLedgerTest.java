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
 * Ledger with checkpoints every 200 ms on two JobManagers and two TaskManagers; the leader is
 * killed with SIGKILL five times in a row (a fresh JobManager started each time, so there is always
 * a standby). Each new leader adopts the running tasks: the job finishes on the last leader, which
 * reports five recoveries, five reconciliations and no restart, and its output holds every event
 * exactly once.
 */
class LeaderKilledDuringLedgerTest {
  private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(3);
  private static final int KILLS = 5;

  @TempDir Path workDir;
  @RegisterExtension final HaClusterExtension ha = new HaClusterExtension();

  @Test
  void jobFinishesOnTheLastLeaderAfterFiveKills() throws Exception {
    HaCluster cluster =
        ha.start(ZooKeeperEnsemble.single(), "leader-kills", workDir, SESSION_TIMEOUT, c -> c);
    // 75 s of events: an adopted job loses no time to a kill, so it must outlast five of them
    killLeaderDuringLedger(cluster, KILLS, new LedgerJob(300_000, 17, 4_000, 200, out()));
  }

  /**
   * The same with everything {@code bin/baton-certs.sh} turns on: mutual TLS on every gRPC channel,
   * REST over https with client certificates and the REST token; the leader is killed twice. The
   * standbys' probes of the leader get its identity through that TLS.
   */
  @Test
  void jobFinishesAfterTwoKillsWithTlsAndTokenOn() throws Exception {
    ClusterCertificates certificates = ClusterCertificates.make(workDir.resolve("certs"));
    HaCluster cluster =
        ha.start(
            ZooKeeperEnsemble.single(),
            "leader-kills-tls",
            workDir,
            SESSION_TIMEOUT,
            c ->
                certificates
                    .applyAll(c)
                    .setString("security.ssl.rest.authentication-enabled", "true"));
    // 40 s of events: its sources still run at the second kill (a finished task is not adopted)
    killLeaderDuringLedger(cluster, 2, new LedgerJob(120_000, 17, 3_000, 200, out()));
    assertThat(cluster.taskManagers())
        .allSatisfy(tm -> assertThat(tm.logText()).contains("Registered at JobManager"));
    // the standbys' identity calls go through the same mutual TLS as the TaskManagers'
    assertThat(cluster.jobManagers())
        .anySatisfy(
            jm ->
                assertThat(jm.process().logText())
                    .containsPattern("is alive: the leader's process \\S+ answered at"));
  }

  private Path out() {
    return workDir.resolve("out");
  }

  private void killLeaderDuringLedger(HaCluster cluster, int kills, LedgerJob ledger)
      throws Exception {
    JobManagerProcess leader = cluster.startTwoJobManagersAnd(2);
    String jobId = cluster.submitAndAwaitCheckpoint(ledger, leader, 4, 0);

    for (int kill = 1; kill <= kills; kill++) {
      String token = leader.ha().orElseThrow().leaderTokenDigest();
      long checkpointBefore = HaCluster.latestCompletedCheckpoint(cluster.checkpoints(jobId));
      leader.kill();
      cluster.startJobManager("jm" + (kill + 2));
      leader = cluster.awaitNewLeader(token, SESSION_TIMEOUT.plus(Duration.ofSeconds(60)));
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
