package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.it.HaCluster.JobManagerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two of three ZooKeeper servers are killed while Ledger runs: without a quorum nobody leads and
 * the job is suspended, not failed. When the servers come back a leader is elected again, recovers
 * the job from its latest checkpoint, and the output holds every event exactly once.
 */
class QuorumLossTest {
  private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(3);

  @TempDir Path workDir;
  @RegisterExtension final HaClusterExtension ha = new HaClusterExtension();

  @Test
  void jobsSuspendWithoutQuorumAndRecoverWhenItReturns() throws Exception {
    HaCluster cluster =
        ha.start(ZooKeeperEnsemble.ofThree(), "quorum-loss", workDir, SESSION_TIMEOUT, c -> c);
    ZooKeeperEnsemble zooKeeper = ha.zooKeeper();
    JobManagerProcess leader = cluster.startTwoJobManagersAnd(2);

    LedgerJob ledger = new LedgerJob(200_000, 11, 20_000, 200, workDir.resolve("out"));
    String jobId = ledger.submit(leader.rest(), 4);
    cluster.awaitJobState(jobId, "RUNNING", Duration.ofSeconds(60));
    long beforeLoss = cluster.awaitCheckpointAfter(jobId, 0, Duration.ofSeconds(60));

    zooKeeper.killServers(2);
    Awaits.until(
        "no JobManager leads without a quorum",
        SESSION_TIMEOUT.plus(Duration.ofSeconds(30)),
        () ->
            cluster.liveJobManagers().stream()
                .allMatch(jm -> jm.ha().map(s -> !s.leader()).orElse(false)));
    // no JobManager reports the job: each answers as one that does not lead
    for (JobManagerProcess jm : cluster.liveJobManagers()) {
      JsonNode answer = jm.rest().getOk("/jobs/" + jobId);
      assertThat(answer.get("leader").asBoolean()).as("%s answers %s", jm, answer).isFalse();
      assertThat(answer.has("state")).as("%s answers %s", jm, answer).isFalse();
    }

    zooKeeper.restartKilledServers();
    JobManagerProcess back = cluster.awaitLeader(Duration.ofSeconds(90));
    Awaits.until(
        back + " recovered the job",
        Duration.ofSeconds(60),
        () -> cluster.job(jobId).get("recoveries").asInt() >= 1);
    cluster.awaitJobState(jobId, "FINISHED", Duration.ofMinutes(3));

    JsonNode job = cluster.job(jobId);
    JsonNode restoredFrom = job.get("restoredFrom");
    assertThat(Optional.ofNullable(restoredFrom).filter(r -> !r.isNull()))
        .as("the recovery after the quorum returned restored from a checkpoint: %s", job)
        .isPresent();
    assertThat(restoredFrom.get("checkpointId").asLong()).isGreaterThanOrEqualTo(beforeLoss);
    ledger.assertExactlyOnce();
  }
}
