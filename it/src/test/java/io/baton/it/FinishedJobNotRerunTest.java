package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.baton.it.HaCluster.JobManagerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.curator.framework.api.CuratorWatcher;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job finishes and its leader is killed with SIGKILL right after: the next leader knows the job
 * finished (from the job result store) and runs none of it again. Its output is unchanged, {@code
 * GET /jobs/{id}} says FINISHED, and the TaskManager deploys only the job submitted afterwards.
 */
class FinishedJobNotRerunTest {
  private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(3);

  @TempDir Path workDir;
  @RegisterExtension final HaClusterExtension ha = new HaClusterExtension();

  @Test
  void nextLeaderDoesNotRunAFinishedJobAgain() throws Exception {
    HaCluster cluster =
        ha.start(ZooKeeperEnsemble.single(), "finished-job", workDir, SESSION_TIMEOUT, c -> c);
    ZooKeeperEnsemble zooKeeper = ha.zooKeeper();
    cluster.startJobManager("jm1");
    cluster.startJobManager("jm2");
    JvmProcess taskManager = cluster.startTaskManager("tm1", 2);
    JobManagerProcess leader = cluster.awaitLeader(Duration.ofSeconds(90));
    cluster.awaitTaskManagers(1, Duration.ofSeconds(60));

    LedgerJob ledger = new LedgerJob(20_000, 7, 0, 200, workDir.resolve("out"));
    String jobId = ledger.submit(leader.rest(), 2);
    String token = leader.ha().orElseThrow().leaderTokenDigest();
    // SIGKILL the leader the moment the job's result is recorded: before it removed the job
    // graph, the window where a crash must not make the next leader run the job again
    String resultPath = cluster.clusterPath() + "/job-results/" + jobId;
    String graphPath = cluster.clusterPath() + "/jobgraphs/" + jobId;
    AtomicBoolean graphLeftBehind = new AtomicBoolean();
    Stat alreadyRecorded =
        zooKeeper
            .client()
            .checkExists()
            .usingWatcher(
                (CuratorWatcher)
                    event -> {
                      if (event.getType() == Watcher.Event.EventType.NodeCreated) {
                        leader.kill();
                        graphLeftBehind.set(zooKeeper.data(graphPath) != null);
                      }
                    })
            .forPath(resultPath);
    if (alreadyRecorded != null) {
      leader.kill();
    }
    await("job " + jobId + " FINISHED and its leader killed")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> !leader.process().isAlive());
    Map<String, String> outputAtKill = digest(ledger.output());
    int tmMark = taskManager.logLength();

    JobManagerProcess next =
        cluster.awaitNewLeader(token, SESSION_TIMEOUT.plus(Duration.ofSeconds(30)));
    Awaits.until(
        next + " reports " + jobId + " FINISHED",
        Duration.ofSeconds(30),
        () -> next.rest().jobState(jobId).equals("FINISHED"));
    cluster.awaitTaskManagers(1, Duration.ofSeconds(60));
    // a job run after the takeover shows the new leader schedules; the finished one it must not
    LedgerJob after = new LedgerJob(5_000, 5, 0, 0, workDir.resolve("after"));
    String afterId = after.submit(next.rest(), 2);
    cluster.awaitJobState(afterId, "FINISHED", Duration.ofMinutes(2));

    assertThat(next.rest().jobState(jobId)).isEqualTo("FINISHED");
    assertThat(zooKeeper.data(graphPath))
        .as(
            "the job graph pointer (%s when the leader was killed)",
            graphLeftBehind.get() ? "still there" : "already removed")
        .isNull();
    assertThat(next.rest().getOk("/overview").get("jobs-running").asInt()).isZero();
    assertThat(digest(ledger.output())).as("the finished job's output").isEqualTo(outputAtKill);
    ledger.assertExactlyOnce();
    List<String> deployed =
        taskManager
            .logSince(tmMark)
            .lines()
            .filter(line -> line.contains(ProcessLogs.DEPLOYING))
            .toList();
    assertThat(deployed).as("tasks deployed after the kill").isNotEmpty();
    assertThat(deployed).allSatisfy(line -> assertThat(line).contains(afterId));
  }

  /** Every file of the output directory with a SHA-256 of its bytes. */
  private static Map<String, String> digest(Path directory) throws Exception {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> all = Files.walk(directory)) {
      for (Path f : all.filter(Files::isRegularFile).toList()) {
        files.put(directory.relativize(f).toString(), sha256(f));
      }
    }
    return files;
  }

  private static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
