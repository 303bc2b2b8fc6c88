package io.baton.it;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.it.HaCluster.JobManagerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code heartbeat.timeout} and {@code high-availability.zookeeper.client.session-timeout}
 * trade: how long a hung process goes unnoticed against which pauses pass without a failover. For
 * each setting, on 2 JobManagers and 2 TaskManagers (2 slots each) running Ledger at parallelism 2
 * (one subtask of each vertex per TaskManager, so the job can restart on the other one):
 *
 * <ul>
 *   <li>a TaskManager hung (SIGSTOP, its connections stay open): pause → the job leaves RUNNING,
 *       and pause → all tasks RUNNING again on the other TaskManager; then it is resumed;
 *   <li>a TaskManager paused for half the heartbeat timeout: did the job restart?
 *   <li>the leader paused for half the session timeout: did it keep leading?
 *   <li>the leader paused for 1.5 times the session timeout: pause → a new leader, and pause → all
 *       tasks RUNNING under it.
 * </ul>
 *
 * Times come from {@code GET /jobs/{id}} and {@code GET /ha} polled every 20 ms. Reports to stdout
 * and {@code it/target/benchmark-timeouts.md}; run with {@code bin/benchmark.sh}.
 */
class TimeoutTradeOffBenchmark {
  /** heartbeat interval, heartbeat timeout, session timeout. */
  private record Setting(Duration interval, Duration heartbeatTimeout, Duration sessionTimeout) {
    String describe() {
      return String.format(
          Locale.ROOT,
          "%s / %s | %s",
          seconds(interval),
          seconds(heartbeatTimeout),
          seconds(sessionTimeout));
    }
  }

  // interval/heartbeat timeout/session timeout in seconds: the defaults, then shorter ones;
  // -Dbenchmark.timeouts=1/4/4 for a quick look
  private static final List<Setting> SETTINGS =
      java.util.Arrays.stream(
              System.getProperty("benchmark.timeouts", "10/50/60,2/10/10,1/4/4").split(","))
          .map(s -> s.trim().split("/"))
          .map(
              p ->
                  new Setting(
                      Duration.ofSeconds(Long.parseLong(p[0])),
                      Duration.ofSeconds(Long.parseLong(p[1])),
                      Duration.ofSeconds(Long.parseLong(p[2]))))
          .toList();
  private static final Duration POLL = Duration.ofMillis(20);

  @TempDir Path workDir;
  private final StringBuilder report = new StringBuilder();
  @RegisterExtension final HaClusterExtension ha = new HaClusterExtension();

  @AfterEach
  void tearDown() throws Exception {
    ha.stop();
    BenchmarkReportFile.write("benchmark-timeouts.md", report);
  }

  @Test
  void timeoutTradeOff() throws Exception {
    report
        .append("## Heartbeat and session timeouts: detection against tolerated pauses\n\n")
        .append(
            "2 JobManagers + 2 TaskManagers (2 slots), one JVM each, one ZooKeeper server;"
                + " Ledger at parallelism 2, checkpoints every 500 ms; one run per cell, in ms."
                + " Hung = SIGSTOP, so its connections stay open and only the timeouts notice.\n\n")
        .append(
            "| heartbeat interval / timeout | session timeout | TaskManager hung: job restarting"
                + " | TaskManager hung: all RUNNING again | TaskManager paused ½ heartbeat timeout"
                + " | leader paused ½ session timeout | leader paused 1½ session timeouts: new"
                + " leader | …: all RUNNING again |\n")
        .append("|---|---|---|---|---|---|---|---|\n");
    for (Setting setting : SETTINGS) {
      report.append("| ").append(setting.describe()).append(" | ");
      measure(setting);
      ha.stop();
    }
  }

  private void measure(Setting setting) throws Exception {
    String name = "timeouts-" + setting.heartbeatTimeout().toSeconds() + "s";
    HaCluster cluster =
        ha.start(
            ZooKeeperEnsemble.single(),
            name,
            workDir.resolve(name),
            setting.sessionTimeout(),
            c ->
                c.setString("heartbeat.interval", setting.interval().toMillis() + " ms")
                    .setString("heartbeat.timeout", setting.heartbeatTimeout().toMillis() + " ms"));
    JobManagerProcess leader = cluster.startTwoJobManagersAnd(2);
    LedgerJob ledger =
        new LedgerJob(1_000_000_000L, 97, 2_000, 500, workDir.resolve(name + "-out"));
    String jobId = ledger.submit(leader.rest(), 2);
    awaitAllRunning(jobId, Duration.ofMinutes(1));
    cluster.awaitCheckpointAfter(jobId, 0, Duration.ofMinutes(1));

    // 1. a hung TaskManager
    JvmProcess hung = cluster.taskManagers().get(0);
    int restarts = restarts(jobId);
    long paused = System.currentTimeMillis();
    hung.pause();
    long restarting = awaitFailover(jobId, restarts, setting.heartbeatTimeout());
    long running = awaitAllRunning(jobId, Duration.ofMinutes(2));
    hung.resume();
    report.append(restarting - paused).append(" | ").append(running - paused).append(" | ");
    cluster.awaitTaskManagers(2, setting.heartbeatTimeout().plus(Duration.ofMinutes(1)));
    cluster.awaitCheckpointAfter(jobId, latestCheckpoint(jobId), Duration.ofMinutes(1));

    // 2. a TaskManager paused for half the heartbeat timeout
    JvmProcess busy = cluster.taskManagers().get(1);
    restarts = restarts(jobId);
    pauseFor(busy, setting.heartbeatTimeout().dividedBy(2));
    // a restart would have begun by the time a checkpoint after the pause completes
    cluster.awaitCheckpointAfter(jobId, latestCheckpoint(jobId), Duration.ofMinutes(1));
    report.append(restarts(jobId) == restarts ? "no restart" : "job restarted").append(" | ");

    // 3. the leader paused for half the session timeout
    JobManagerProcess current = cluster.awaitLeader(Duration.ofMinutes(1));
    HaStatus before = current.ha().orElseThrow();
    pauseFor(current.process(), setting.sessionTimeout().dividedBy(2));
    cluster.awaitCheckpointAfter(jobId, latestCheckpoint(jobId), Duration.ofMinutes(1));
    HaStatus after = cluster.awaitLeader(Duration.ofMinutes(1)).ha().orElseThrow();
    report
        .append(
            after.leaderTokenDigest().equals(before.leaderTokenDigest())
                ? "kept leading"
                : "leader changed")
        .append(" | ");

    // 4. the leader paused past its session
    current = cluster.awaitLeader(Duration.ofMinutes(1));
    String token = current.ha().orElseThrow().leaderTokenDigest();
    int recoveries = current.rest().getOk("/jobs/" + jobId).get("recoveries").asInt();
    long leaderPaused = System.currentTimeMillis();
    current.process().pause();
    Duration pause =
        setting.sessionTimeout().plus(setting.sessionTimeout().dividedBy(2)).plusSeconds(1);
    JobManagerProcess next = cluster.awaitNewLeader(token, pause.plus(Duration.ofMinutes(1)));
    long granted = next.ha().orElseThrow().leaderSince();
    long recovered = awaitRecovered(next, jobId, recoveries + 1);
    report
        .append(granted - leaderPaused)
        .append(" | ")
        .append(recovered - leaderPaused)
        .append(" |\n");
    await("the rest of the leader's pause")
        .atMost(pause.plusSeconds(5))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> System.currentTimeMillis() - leaderPaused >= pause.toMillis());
    current.process().resume();

    next.rest().patch("/jobs/" + jobId + "?mode=cancel");
    cluster.awaitJobState(jobId, "CANCELED", Duration.ofMinutes(1));
  }

  /** Pauses {@code process} for {@code pause}, waiting without sleeping the test thread blind. */
  private static void pauseFor(JvmProcess process, Duration pause) throws Exception {
    long from = System.currentTimeMillis();
    process.pause();
    try {
      await("a pause of " + pause.toMillis() + " ms")
          .atMost(pause.plusSeconds(5))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> System.currentTimeMillis() - from >= pause.toMillis());
    } finally {
      process.resume();
    }
  }

  /** When the job was first seen out of RUNNING, or restarted, after {@code restarts}. */
  private long awaitFailover(String jobId, int restarts, Duration heartbeatTimeout) {
    AtomicLong at = new AtomicLong();
    await("job " + jobId + " failing over")
        .atMost(heartbeatTimeout.plus(Duration.ofMinutes(1)))
        .pollInterval(POLL)
        .ignoreExceptions()
        .until(
            () -> {
              long now = System.currentTimeMillis();
              JsonNode job = leaderRest().get("/jobs/" + jobId, Duration.ofSeconds(1)).body();
              if (!job.get("state").asText().equals("RUNNING")
                  || job.get("restarts").asInt() > restarts) {
                at.set(now);
                return true;
              }
              return false;
            });
    return at.get();
  }

  private long awaitAllRunning(String jobId, Duration deadline) {
    return JobPoll.firstSeenAt(
        "all tasks of " + jobId + " RUNNING",
        deadline,
        POLL,
        () -> leaderRest().get("/jobs/" + jobId, Duration.ofSeconds(1)).body(),
        TimeoutTradeOffBenchmark::allRunning);
  }

  private static long awaitRecovered(JobManagerProcess leader, String jobId, int recoveries) {
    return JobPoll.firstSeenAt(
        "all tasks of " + jobId + " RUNNING after recovery " + recoveries,
        Duration.ofMinutes(2),
        POLL,
        () -> leader.rest().get("/jobs/" + jobId, Duration.ofSeconds(1)).body(),
        job -> job.get("recoveries").asInt() >= recoveries && allRunning(job));
  }

  private RestApi leaderRest() {
    HaCluster cluster = ha.cluster();
    return cluster.awaitLeader(Duration.ofMinutes(1)).rest();
  }

  private int restarts(String jobId) {
    return leaderRest().getOk("/jobs/" + jobId).get("restarts").asInt();
  }

  private long latestCheckpoint(String jobId) {
    HaCluster cluster = ha.cluster();
    return HaCluster.latestCompletedCheckpoint(cluster.checkpoints(jobId));
  }

  private static boolean allRunning(JsonNode job) {
    return job.get("state").asText().equals("RUNNING") && JobStatusCounts.allTasksRunning(job);
  }

  private static String seconds(Duration d) {
    return d.toSeconds() + " s";
  }
}
