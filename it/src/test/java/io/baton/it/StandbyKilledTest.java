package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.it.HaCluster.JobManagerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ledger with checkpoints every 200 ms on two JobManagers and two TaskManagers; the standby
 * JobManager is killed with SIGKILL and, once its ZooKeeper session is gone, started again. The
 * leader never stops leading (one fencing token in every {@code GET /ha} sampled throughout), the
 * job neither restarts nor is recovered, checkpoints go on completing while the standby is down,
 * the restarted standby contends again and names the same leader, and the output holds every event
 * exactly once.
 */
class StandbyKilledTest {
  private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(3);

  @TempDir Path workDir;
  @RegisterExtension final HaClusterExtension ha = new HaClusterExtension();

  @Test
  void leaderAndJobCarryOnWhileTheStandbyIsKilledAndRestarted() throws Exception {
    HaCluster cluster =
        ha.start(ZooKeeperEnsemble.single(), "standby-killed", workDir, SESSION_TIMEOUT, c -> c);
    JobManagerProcess leader = cluster.startTwoJobManagersAnd(2);
    JobManagerProcess standby =
        cluster.jobManagers().stream().filter(jm -> jm != leader).findFirst().orElseThrow();
    String token = leader.ha().orElseThrow().leaderTokenDigest();
    Awaits.until(
        "the leader lists both contenders",
        Duration.ofSeconds(30),
        () ->
            leader.ha().orElseThrow().contenders().containsAll(List.of(leader.id(), standby.id())));

    // 15 s of events at full rate: the job runs on while the standby is down
    LedgerJob ledger = new LedgerJob(300_000, 17, 20_000, 200, workDir.resolve("out"));
    String jobId = cluster.submitAndAwaitCheckpoint(ledger, leader, 4, 0);

    try (LeaderSampler sampler = LeaderSampler.start(cluster::runningJobManagers)) {
      Awaits.until("the sampler running", Duration.ofSeconds(10), () -> sampler.rounds() >= 2);
      standby.kill();
      long atKill = HaCluster.latestCompletedCheckpoint(cluster.checkpoints(jobId));

      // checkpoints need no standby: two complete while it is down
      long later = cluster.awaitCheckpointAfter(jobId, atKill, Duration.ofSeconds(60));
      cluster.awaitCheckpointAfter(jobId, later, Duration.ofSeconds(60));
      assertRunningWithoutRestart(leader, jobId, "while the standby is down");
      // the killed standby's latch node goes with its ZooKeeper session
      Awaits.until(
          "the leader lists only itself as contender",
          SESSION_TIMEOUT.plus(Duration.ofSeconds(30)),
          () -> leader.ha().orElseThrow().contenders().equals(List.of(leader.id())));

      JobManagerProcess restarted = cluster.restartJobManager(standby);
      Awaits.until(
          "the restarted " + restarted + " contending again",
          Duration.ofSeconds(60),
          () ->
              leader.ha().orElseThrow().contenders().size() == 2
                  && leader.ha().orElseThrow().contenders().contains(restarted.id()));
      Awaits.until(
          "the restarted " + restarted + " naming " + leader + " as leader",
          Duration.ofSeconds(30),
          () -> {
            HaStatus s = restarted.ha().orElseThrow();
            return !s.leader()
                && leader.id().equals(s.leaderId())
                && token.equals(s.leaderTokenDigest());
          });
      // a JVM start takes long on a busy machine: the job may have finished meanwhile
      assertNotRestarted(leader, jobId, "after the standby came back");

      cluster.awaitJobState(jobId, "FINISHED", Duration.ofMinutes(3));
      sampler.close();
      assertThat(sampler.longestGapMillis())
          .as("longest pause between sampling rounds, ms (%d rounds)", sampler.rounds())
          .isLessThan(SESSION_TIMEOUT.toMillis());
      assertThat(sampler.leaderships())
          .as("leaderships sampled from before the kill to the job's end")
          .extracting(
              LeaderSampler.Leadership::jobManager, LeaderSampler.Leadership::leaderTokenDigest)
          .containsExactly(tuple(leader.name(), token));
    }

    JsonNode job = leader.rest().getOk("/jobs/" + jobId);
    assertThat(job.get("state").asText()).isEqualTo("FINISHED");
    assertThat(job.get("restarts").asInt()).as("restarts of the job").isZero();
    assertThat(job.get("recoveries").asInt()).as("recoveries by a new leader").isZero();
    assertThat(job.get("restoredFrom").isNull()).as("restoredFrom: %s", job).isTrue();
    ledger.assertExactlyOnce();
  }

  private static void assertRunningWithoutRestart(
      JobManagerProcess leader, String jobId, String when) {
    JsonNode job = leader.rest().getOk("/jobs/" + jobId);
    assertThat(job.get("state").asText()).as("job state %s", when).isEqualTo("RUNNING");
    assertNotRestarted(leader, jobId, when);
  }

  private static void assertNotRestarted(JobManagerProcess leader, String jobId, String when) {
    JsonNode job = leader.rest().getOk("/jobs/" + jobId);
    assertThat(job.get("state").asText()).as("job state %s", when).isIn("RUNNING", "FINISHED");
    assertThat(job.get("restarts").asInt()).as("restarts %s", when).isZero();
    assertThat(job.get("recoveries").asInt()).as("recoveries %s", when).isZero();
  }
}
