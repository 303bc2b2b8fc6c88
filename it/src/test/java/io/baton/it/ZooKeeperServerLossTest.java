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
 * ZooKeeper servers of a three-server ensemble lost under a running Ledger. One server killed is no
 * event at all: the same leader keeps the job running and checkpointing. The whole ensemble stopped
 * and started again from its data directories suspends the job, and a leader elected on the
 * returned ensemble recovers it from its latest checkpoint. (Two of three lost and regained is
 * {@link QuorumLossTest}.)
 */
class ZooKeeperServerLossTest {
  private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(3);

  @TempDir Path workDir;
  @RegisterExtension final HaClusterExtension ha = new HaClusterExtension();

  /**
   * The server killed is the one the leader itself is connected to, the case that matters: its
   * connection is SUSPENDED until the client moves to another server, well within the session. With
   * {@code tolerate-suspended-connections: true} (the setting for ensembles that lose a server now
   * and then; the default gives leadership up at once, as Flink's does) the leader keeps its latch
   * node, its fencing token and its job.
   */
  @Test
  void oneServerOfThreeKilledChangesNothing() throws Exception {
    HaCluster cluster =
        ha.start(
            ZooKeeperEnsemble.ofThree(),
            "zk-one-server-lost",
            workDir,
            SESSION_TIMEOUT,
            c ->
                c.setString(
                    "high-availability.zookeeper.client.tolerate-suspended-connections", "true"));
    ZooKeeperEnsemble zooKeeper = ha.zooKeeper();
    JobManagerProcess leader = cluster.startTwoJobManagersAnd(2);
    String token = LeaderReads.leaderTokenDigest(leader, Duration.ofSeconds(30));

    LedgerJob ledger = new LedgerJob(200_000, 11, 20_000, 200, workDir.resolve("out"));
    String jobId = ledger.submit(leader.rest(), 4);
    LeaderSampler sampler = LeaderSampler.start(cluster::liveJobManagers);
    try {
      LeaderReads.awaitState(cluster, jobId, "RUNNING", Duration.ofSeconds(60));
      long beforeKill = cluster.awaitCheckpointAfter(jobId, 0, Duration.ofSeconds(60));

      long leaderSession = zooKeeper.ephemeralOwner(cluster.clusterPath() + "/leader/info");
      assertThat(leaderSession).as("the session that wrote leader/info").isNotZero();
      String killed = zooKeeper.killServerServing(leaderSession);
      assertThat(zooKeeper.runningServers()).isEqualTo(2);

      // two more checkpoints while the server is down: each one's pointer went through ZooKeeper
      long whileDown = cluster.awaitCheckpointAfter(jobId, beforeKill + 1, Duration.ofSeconds(60));
      assertThat(cluster.job(jobId).get("state").asText())
          .as("with %s down", killed)
          .isEqualTo("RUNNING");
      // the test's own client may have been on the killed server too: read once it moved on (a
      // session id is never reused, so a re-created leader/info could not pass)
      Awaits.until(
          "leader/info still owned by the leader's session after " + killed + " died",
          Duration.ofSeconds(30),
          () -> zooKeeper.ephemeralOwner(cluster.clusterPath() + "/leader/info") == leaderSession);

      zooKeeper.restartKilledServers();
      cluster.awaitCheckpointAfter(jobId, whileDown, Duration.ofSeconds(60));
      LeaderReads.awaitState(cluster, jobId, "FINISHED", Duration.ofMinutes(3));

      assertThat(sampler.leaderships())
          .as("every leadership /ha reported from submission to the end")
          .extracting(LeaderSampler.Leadership::leaderTokenDigest)
          .containsOnly(token);
    } finally {
      sampler.close();
    }
    JsonNode job = leader.rest().getOk("/jobs/" + jobId);
    assertThat(job.get("recoveries").asInt()).as("recoveries: %s", job).isZero();
    assertThat(job.get("restarts").asInt()).as("restarts: %s", job).isZero();
    assertThat(cluster.checkpoints(jobId).get("latest").get("restored").isNull())
        .as("the job never restored from a checkpoint: it never restarted")
        .isTrue();
    ledger.assertExactlyOnce();
  }

  /**
   * All three servers stopped (with the default policy every JobManager gives up leadership as soon
   * as its connection is suspended), then started again on their own snapshots and transaction
   * logs: the job graph and checkpoint pointers are still there, and the new leadership resumes the
   * job from the checkpoint it had reached.
   */
  @Test
  void wholeEnsembleRestartedSuspendsAndRecoversTheJob() throws Exception {
    HaCluster cluster =
        ha.start(
            ZooKeeperEnsemble.ofThree(), "zk-ensemble-restart", workDir, SESSION_TIMEOUT, c -> c);
    ZooKeeperEnsemble zooKeeper = ha.zooKeeper();
    JobManagerProcess leader = cluster.startTwoJobManagersAnd(2);
    String token = LeaderReads.leaderTokenDigest(leader, Duration.ofSeconds(30));

    LedgerJob ledger = new LedgerJob(200_000, 13, 20_000, 200, workDir.resolve("out"));
    String jobId = ledger.submit(leader.rest(), 4);
    LeaderReads.awaitState(cluster, jobId, "RUNNING", Duration.ofSeconds(60));
    long beforeStop = cluster.awaitCheckpointAfter(jobId, 0, Duration.ofSeconds(60));

    zooKeeper.killServers(3);
    assertThat(zooKeeper.runningServers()).isZero();
    Awaits.until(
        "no JobManager leads while no ZooKeeper server runs",
        SESSION_TIMEOUT.plus(Duration.ofSeconds(30)),
        () ->
            cluster.liveJobManagers().stream()
                .allMatch(jm -> jm.ha().map(s -> !s.leader()).orElse(false)));
    for (JobManagerProcess jm : cluster.liveJobManagers()) {
      JsonNode answer = jm.rest().getOk("/jobs/" + jobId);
      assertThat(answer.get("leader").asBoolean()).as("%s answers %s", jm, answer).isFalse();
      assertThat(answer.has("state")).as("%s answers %s", jm, answer).isFalse();
    }

    zooKeeper.restartKilledServers();
    JobManagerProcess back = cluster.awaitNewLeader(token, Duration.ofSeconds(90));
    assertThat(zooKeeper.data(cluster.clusterPath() + "/jobgraphs/" + jobId))
        .as("the job graph pointer survived the restart of every server")
        .isNotNull();
    Awaits.until(
        back + " recovered the job",
        Duration.ofSeconds(60),
        () -> cluster.job(jobId).get("recoveries").asInt() >= 1);
    long restored =
        LeaderReads.awaitRestoredFrom(cluster, jobId, Duration.ofSeconds(60))
            .get("checkpointId")
            .asLong();
    LeaderReads.awaitState(cluster, jobId, "RUNNING", Duration.ofSeconds(60));
    assertThat(restored)
        .as("the checkpoint the job resumed from, reached before the ensemble stopped")
        .isGreaterThanOrEqualTo(beforeStop);
    long after = cluster.awaitCheckpointAfter(jobId, restored, Duration.ofSeconds(60));
    LeaderReads.awaitState(cluster, jobId, "FINISHED", Duration.ofMinutes(3));

    JsonNode job = cluster.job(jobId);
    assertThat(job.get("restoredFrom").get("path").asText()).contains(jobId);
    assertThat(after).as("checkpoint ids go on past the restored one").isGreaterThan(restored);
    ledger.assertExactlyOnce();
  }
}
