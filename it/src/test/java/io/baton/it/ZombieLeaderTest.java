package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.it.HaCluster.JobManagerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leader JobManager is frozen with SIGSTOP past its ZooKeeper session timeout while Ledger
 * runs; a standby takes over and recovers the job. Then the old leader is thawed with SIGCONT and,
 * for a moment, may still think it leads (a cancel request is even sent to it): nothing it does
 * reaches the HA stores or the TaskManagers. Its fencing token is nowhere in ZooKeeper, checkpoints
 * advance under the new leader only, TaskManagers reject whatever it sends, and the job's output is
 * exactly once.
 */
class ZombieLeaderTest {
  private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(3);

  @TempDir Path workDir;
  private ZooKeeperEnsemble zooKeeper;
  private HaCluster cluster;

  @AfterEach
  void tearDown() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    if (zooKeeper != null) {
      zooKeeper.close();
    }
  }

  @Test
  void thawedLeaderIsFencedOffFromStoresAndTaskManagers() throws Exception {
    zooKeeper = ZooKeeperEnsemble.single();
    cluster = HaCluster.create("zombie-leader", workDir, zooKeeper, SESSION_TIMEOUT, c -> c);
    JobManagerProcess zombie = cluster.startTwoJobManagersAnd(2);

    LedgerJob ledger = new LedgerJob(300_000, 13, 20_000, 200, workDir.resolve("out"));
    String jobId = ledger.submit(zombie.rest(), 4);
    cluster.awaitJobState(jobId, "RUNNING", Duration.ofSeconds(60));
    cluster.awaitCheckpointAfter(jobId, 1, Duration.ofSeconds(60));
    String zombieToken = zombie.ha().orElseThrow().fencingToken();

    zombie.pause();
    JobManagerProcess successor =
        cluster.awaitNewLeader(zombieToken, SESSION_TIMEOUT.plus(Duration.ofSeconds(30)));
    String successorToken = successor.ha().orElseThrow().fencingToken();
    cluster.awaitJobState(jobId, "RUNNING", Duration.ofSeconds(60));
    Awaits.until(
        "the successor reports one recovery",
        Duration.ofSeconds(30),
        () -> cluster.job(jobId).get("recoveries").asInt() == 1);
    long restoredFrom = cluster.job(jobId).get("restoredFrom").get("checkpointId").asLong();
    long beforeThaw = cluster.awaitCheckpointAfter(jobId, restoredFrom, Duration.ofSeconds(60));
    assertThat(zooKeeper.data(cluster.clusterPath() + "/leader/info"))
        .as("leader/info after the takeover")
        .contains(successorToken)
        .doesNotContain(zombieToken);

    int zombieMark = zombie.process().logLength();
    List<JvmProcess> taskManagers = cluster.taskManagers();
    Map<JvmProcess, Integer> tmMarks =
        taskManagers.stream().collect(Collectors.toMap(tm -> tm, ProcessLogs::lengthOf));
    zombie.resume();
    // until it hears that its session is gone, the thawed JobManager may believe it leads: an
    // operator's cancel sent to it now must change nothing
    RestApi.Response cancel = zombie.rest().patch("/jobs/" + jobId + "?mode=cancel");
    Awaits.until(
        "the thawed JobManager knows it follows " + successor,
        Duration.ofSeconds(30),
        () -> {
          HaStatus s = zombie.ha().orElseThrow();
          return !s.leader() && successor.id().equals(s.leaderId());
        });
    assertThat(zooKeeper.tree(cluster.clusterPath()))
        .as("znodes naming the old leader's token once it knows it lost")
        .allSatisfy((path, data) -> assertThat(data).as(path).doesNotContain(zombieToken));

    long afterThaw = cluster.awaitCheckpointAfter(jobId, beforeThaw + 1, Duration.ofSeconds(60));
    cluster.awaitJobState(jobId, "FINISHED", Duration.ofMinutes(3));
    ledger.assertExactlyOnce();

    assertThat(cluster.job(jobId).get("recoveries").asInt())
        .as("recoveries after the thawed JobManager was answered %d", cancel.status())
        .isEqualTo(1);
    assertThat(zooKeeper.tree(cluster.clusterPath()))
        .as("znodes naming the old leader's token after the job finished")
        .allSatisfy((path, data) -> assertThat(data).as(path).doesNotContain(zombieToken));
    String zombieLog = zombie.process().logSince(zombieMark);
    assertThat(zombieLog)
        .as(
            "what the thawed JobManager logged (checkpoints %d..%d ran on the successor)",
            beforeThaw, afterThaw)
        .doesNotContain("Completed checkpoint")
        .containsPattern(ProcessLogs.LEADERSHIP_LOST);
    for (JvmProcess tm : taskManagers) {
      List<String> naming =
          tm.logSince(tmMarks.get(tm)).lines().filter(line -> line.contains(zombieToken)).toList();
      assertThat(naming)
          .as("%s's log lines naming the old leader's token after the thaw", tm.name())
          .allSatisfy(line -> assertThat(line).contains("rejected"));
    }
  }
}
