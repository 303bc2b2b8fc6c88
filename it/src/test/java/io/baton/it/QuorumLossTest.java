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
 * Two of three ZooKeeper servers are killed while Ledger runs: without a quorum nobody leads and
 * the job is suspended, not failed, and its tasks keep running on the TaskManagers. When the
 * servers come back a leader is elected again and recovers the job, adopting its running tasks or
 * restoring it from its latest checkpoint, and the output holds every event exactly once.
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
    // TaskManagers keep their tasks while no JobManager leads: the new leader adopts them when
    // every subtask is reported in time, else restarts them from the latest checkpoint
    Awaits.until(
        back + " adopted the job or restored it from a checkpoint",
        Duration.ofSeconds(60),
        () -> {
          JsonNode job = cluster.job(jobId);
          return job.get("reconciliations").asInt() >= 1 || hasRestoredFrom(job);
        });
    JsonNode recovered = cluster.job(jobId);
    if (hasRestoredFrom(recovered)) {
      assertThat(recovered.get("restoredFrom").get("checkpointId").asLong())
          .as("the checkpoint restored after the quorum returned: %s", recovered)
          .isGreaterThanOrEqualTo(beforeLoss);
    } else {
      assertThat(recovered.get("restarts").asInt())
          .as("restarts of the adopted job: %s", recovered)
          .isZero();
    }
    cluster.awaitJobState(jobId, "FINISHED", Duration.ofMinutes(3));
    ledger.assertExactlyOnce();
  }

  private static boolean hasRestoredFrom(JsonNode job) {
    JsonNode restoredFrom = job.get("restoredFrom");
    return restoredFrom != null && !restoredFrom.isNull();
  }
}
