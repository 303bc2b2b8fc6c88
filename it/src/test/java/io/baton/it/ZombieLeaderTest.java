package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baton.common.security.TokenDigest;
import io.baton.it.HaCluster.JobManagerProcess;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leader JobManager is frozen with SIGSTOP past its ZooKeeper session timeout while Ledger
 * runs; a standby takes over and, as {@code jobmanager.failover.reconcile} is on by default, adopts
 * the tasks that run on while their leader sleeps. Then the old leader is thawed with SIGCONT and,
 * for a moment, may still think it leads (a cancel request is even sent to it): nothing it does
 * reaches the HA stores or the TaskManagers. Its fencing token is nowhere in ZooKeeper, every
 * checkpoint pointer above the one the new leader took over was published by the new leader, the
 * stored job result is the new leader's FINISHED, the thawed JobManager logs no store write that
 * went through (what it tried was refused) and ends its copy of the job SUSPENDED, TaskManagers
 * reject whatever it sends (cancel, trigger, notify, free slot), the adopted tasks run on (no
 * restart, every subtask's attempt number unchanged), and the job's output is exactly once.
 *
 * <p>The standby probes the frozen leader all along: its port accepts (the kernel answers for it)
 * and nothing answers the identity call, which is no proof that it is gone, so the standby deletes
 * nothing and the frozen leader's latch node goes only when ZooKeeper expires its session.
 *
 * <p>What the thawed JobManager tries before it hears of its lost session (its heartbeat timeouts
 * fail the job over, a restart moves the checkpoint counter, the cancel) races with that news, so
 * the test asserts that nothing went through, not that a given attempt was made.
 */
class ZombieLeaderTest {
  private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(3);
  // the HA stores' log lines for a write that went through (ha-services' ZooKeeper* stores)
  private static final Pattern COMPLETED_CHECKPOINT =
      Pattern.compile("Completed checkpoint (\\d+)");
  // CheckpointTakeover's line once the new leader adopted the job's tasks
  private static final String TAKEN_OVER =
      "Job %s resumes checkpointing at id \\d+ after adopting its tasks: checkpoint (\\d+)"
          + " notified again";
  private static final Pattern STORE_WRITTEN =
      Pattern.compile(
          "checkpoint \\d+ published at|checkpoint \\d+ withdrawn|job graph (stored at|removed from)"
              + "|Job jar \\S+ (stored at|removed from)|result \\w+ recorded at|Published leader"
              + "|checkpoint ids continue at|released its \\d+ checkpoint pointer");

  private static final Pattern CHECKPOINT_WRITTEN =
      Pattern.compile("checkpoint (\\d+) (published at|withdrawn)");

  @TempDir Path workDir;
  @RegisterExtension final HaClusterExtension ha = new HaClusterExtension();

  @Test
  void thawedLeaderIsFencedOffFromStoresAndTaskManagers() throws Exception {
    HaCluster cluster =
        ha.start(ZooKeeperEnsemble.single(), "zombie-leader", workDir, SESSION_TIMEOUT, c -> c);
    ZooKeeperEnsemble zooKeeper = ha.zooKeeper();
    JobManagerProcess zombie = cluster.startTwoJobManagersAnd(2);

    // 40 s of events at full rate: the job must still run when the frozen leader thaws, after a
    // takeover and two checkpoints that take several seconds each on a busy machine
    LedgerJob ledger = new LedgerJob(400_000, 13, 10_000, 200, workDir.resolve("out"));
    String jobId = cluster.submitAndAwaitCheckpoint(ledger, zombie, 4, 1);
    List<Integer> attempts = SubtaskAttempts.of(zombie, jobId);
    // GET /ha shows only a digest; the token itself is read where the leader publishes it
    String zombieDigest = zombie.ha().orElseThrow().leaderTokenDigest();
    String zombieToken = publishedToken(zooKeeper, cluster);
    assertThat(TokenDigest.of(zombieToken)).as("the digest in GET /ha").isEqualTo(zombieDigest);

    CompletableFuture<Long> zombieNodeDeleted =
        zooKeeper.whenDeleted(cluster.publishedLeaderLatchNode());
    long pausedAt = System.nanoTime();
    zombie.pause();
    JobManagerProcess successor =
        cluster.awaitNewLeader(zombieDigest, SESSION_TIMEOUT.plus(Duration.ofSeconds(30)));
    long nodeGoneAfterMs =
        TimeUnit.NANOSECONDS.toMillis(zombieNodeDeleted.get(1, TimeUnit.SECONDS) - pausedAt);
    // ZooKeeper expires a session no earlier than a session timeout after the client's last
    // request, and an idle client pings every third of it: a probe would have deleted the node
    // within about a second
    assertThat(nodeGoneAfterMs)
        .as(
            "ms from SIGSTOP until the frozen leader's latch node went, session %d ms",
            SESSION_TIMEOUT.toMillis())
        .isGreaterThanOrEqualTo(SESSION_TIMEOUT.toMillis() * 2 / 3);
    assertThat(successor.process().logText())
        .as("the standby's probes of the frozen leader")
        .contains("DEADLINE_EXCEEDED; no proof that its process is gone")
        .doesNotContain("Deleted latch node");
    String successorDigest = successor.ha().orElseThrow().leaderTokenDigest();
    Awaits.until(
        "the successor reports one reconciliation",
        Duration.ofSeconds(60),
        () -> cluster.job(jobId).get("reconciliations").asInt() == 1);
    cluster.awaitJobState(jobId, "RUNNING", Duration.ofSeconds(60));
    assertAdoptedTasksRunOn(successor, jobId, attempts, "after the takeover");
    long takenOver = takenOverCheckpoint(successor, jobId);
    long beforeThaw = cluster.awaitCheckpointAfter(jobId, takenOver, Duration.ofSeconds(60));
    assertThat(TokenDigest.of(publishedToken(zooKeeper, cluster)))
        .as("the token in leader/info after the takeover")
        .isEqualTo(successorDigest);
    assertThat(zooKeeper.data(cluster.clusterPath() + "/leader/info"))
        .as("leader/info after the takeover")
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
    assertAdoptedTasksRunOn(successor, jobId, attempts, "after the thaw");
    List<Long> pointers = checkpointPointers(jobId);
    Awaits.until(
        "the successor's log naming every checkpoint pointer above "
            + takenOver
            + " in ZooKeeper ("
            + pointers
            + ") as published by it",
        Duration.ofSeconds(30),
        () -> {
          String log = successor.process().logText();
          return pointers.stream()
              .filter(id -> id > takenOver)
              .allMatch(id -> log.contains("checkpoint " + id + " published at"));
        });
    cluster.awaitJobState(jobId, "FINISHED", Duration.ofMinutes(3));
    ledger.assertExactlyOnce();

    JsonNode finished = cluster.job(jobId);
    assertThat(finished.get("recoveries").asInt())
        .as("recoveries after the thawed JobManager was answered %d", cancel.status())
        .isEqualTo(1);
    assertThat(finished.get("reconciliations").asInt()).as("reconciliations").isEqualTo(1);
    assertThat(finished.get("restarts").asInt()).as("restarts").isZero();
    assertThat(zooKeeper.tree(cluster.clusterPath()))
        .as("znodes naming the old leader's token after the job finished")
        .allSatisfy((path, data) -> assertThat(data).as(path).doesNotContain(zombieToken));
    assertThat(storedResultStatus(jobId))
        .as("the job's result in the HA store (the cancel was answered %d)", cancel.status())
        .isEqualTo("FINISHED");
    String zombieLog = zombie.process().logSince(zombieMark);
    List<String> refused =
        zombieLog.lines().filter(line -> line.contains("refused: latch node")).toList();
    assertThat(zombieLog)
        .as(
            "what the thawed JobManager logged (checkpoints %d..%d ran on the successor; %d of its"
                + " store writes refused)",
            beforeThaw, afterThaw, refused.size())
        .containsPattern(ProcessLogs.LEADERSHIP_LOST)
        .containsPattern("Job \\S+ \\(" + jobId + "\\) is SUSPENDED")
        .doesNotContainPattern("\\(" + jobId + "\\) is (CANCELED|FAILED|FINISHED)")
        .doesNotContain("was deleted by someone else");
    // SIGSTOP can land between a store write and its log line: a checkpoint the frozen leader
    // published (and the older one it withdrew then) may be logged only after the thaw. The
    // successor took that checkpoint over, so those writes came before the takeover; any other
    // store write logged after the thaw would have been made by a deposed leader.
    assertThat(storeWritesAfter(zombieLog, takenOver))
        .as("store writes the thawed JobManager logged (the successor took over %d)", takenOver)
        .isEmpty();
    // A checkpoint whose pointer the leader published just before it froze may be reported
    // complete only after the thaw (its main thread was frozen too); the successor took it over as
    // the latest completed one, so that is no write after the takeover. Anything newer would be.
    assertThat(completedCheckpointIds(zombieLog))
        .as(
            "checkpoints the thawed JobManager reported complete (the successor took over %d)",
            takenOver)
        .allSatisfy(id -> assertThat(id).isLessThanOrEqualTo(takenOver));
    for (JvmProcess tm : taskManagers) {
      String tmLog = tm.logSince(tmMarks.get(tm));
      // logs name tokens by their digest only
      assertThat(tmLog).as("%s's log after the thaw", tm.name()).doesNotContain(zombieToken);
      List<String> naming = tmLog.lines().filter(line -> line.contains(zombieDigest)).toList();
      assertThat(naming)
          .as("%s's log lines naming the old leader's token after the thaw", tm.name())
          .allSatisfy(line -> assertThat(line).contains("rejected"));
    }
  }

  /** The job runs the adopted tasks: no restart, every subtask at the attempt it had. */
  private void assertAdoptedTasksRunOn(
      JobManagerProcess leader, String jobId, List<Integer> attempts, String when) {
    assertThat(ha.cluster().job(jobId).get("restarts").asInt()).as("restarts %s", when).isZero();
    assertThat(SubtaskAttempts.of(leader, jobId))
        .as("attempt numbers %s", when)
        .isEqualTo(attempts);
  }

  /** The latest completed checkpoint the new leader notified again when it adopted the job. */
  private static long takenOverCheckpoint(JobManagerProcess leader, String jobId) {
    Pattern line = Pattern.compile(String.format(TAKEN_OVER, Pattern.quote(jobId)));
    long[] id = {-1};
    Awaits.until(
        leader + " resuming " + jobId + "'s checkpoints after the adoption",
        Duration.ofSeconds(30),
        () -> {
          Matcher m = line.matcher(leader.process().logText());
          if (m.find()) {
            id[0] = Long.parseLong(m.group(1));
          }
          return id[0] >= 0;
        });
    return id[0];
  }

  /** The ids of the job's completed checkpoint pointers in ZooKeeper. */
  private List<Long> checkpointPointers(String jobId) throws Exception {
    HaCluster cluster = ha.cluster();
    ZooKeeperEnsemble zooKeeper = ha.zooKeeper();
    String parent = cluster.clusterPath() + "/checkpoints/" + jobId;
    return zooKeeper.tree(parent).keySet().stream()
        .filter(path -> !path.equals(parent))
        .map(path -> Long.parseLong(path.substring(parent.length() + 1)))
        .sorted()
        .toList();
  }

  /** The status in the job's result file, found through its pointer in ZooKeeper. */
  private String storedResultStatus(String jobId) throws Exception {
    HaCluster cluster = ha.cluster();
    ZooKeeperEnsemble zooKeeper = ha.zooKeeper();
    String pointer = zooKeeper.data(cluster.clusterPath() + "/job-results/" + jobId);
    assertThat(pointer).as("the job's result pointer in ZooKeeper").isNotNull();
    JsonNode result =
        new ObjectMapper().readTree(Files.readString(Path.of(URI.create(pointer.trim()))));
    return result.get("status").asText();
  }

  /** The fencing token the leader published in leader/info (a session UUID). */
  private static String publishedToken(ZooKeeperEnsemble zooKeeper, HaCluster cluster)
      throws Exception {
    String info = zooKeeper.data(cluster.clusterPath() + "/leader/info");
    Matcher token =
        Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
            .matcher(info);
    assertThat(token.find()).as("a token in leader/info: %s", info).isTrue();
    return token.group();
  }

  /**
   * Lines of {@code log} that report a store write, leaving out the publication of checkpoint
   * {@code takenOver} or older and the withdrawal of an older one.
   */
  private static List<String> storeWritesAfter(String log, long takenOver) {
    return log.lines()
        .filter(line -> STORE_WRITTEN.matcher(line).find())
        .filter(
            line -> {
              Matcher m = CHECKPOINT_WRITTEN.matcher(line);
              if (!m.find()) {
                return true;
              }
              long id = Long.parseLong(m.group(1));
              return m.group(2).equals("published at") ? id > takenOver : id >= takenOver;
            })
        .toList();
  }

  private static List<Long> completedCheckpointIds(String log) {
    Matcher m = COMPLETED_CHECKPOINT.matcher(log);
    List<Long> ids = new ArrayList<>();
    while (m.find()) {
      ids.add(Long.parseLong(m.group(1)));
    }
    return ids;
  }
}
