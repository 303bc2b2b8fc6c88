package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.baton.it.HaCluster.JobManagerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Figures of JobManager failover on ZooKeeper: for the leader killed (SIGKILL) and stopped
 * (SIGTERM), with {@code high-availability.zookeeper.client.session-timeout} at its default (60 s)
 * and at 2 s, the time split into
 *
 * <ul>
 *   <li>detection: signal sent → the new leader granted ({@code leaderSince} of its {@code GET
 *       /ha});
 *   <li>recovery: grant → every task of the job RUNNING again under the new leader ({@code GET
 *       /jobs/{id}} polled every 20 ms);
 *   <li>catch-up: all RUNNING → the first checkpoint completed after the kill (its {@code
 *       latest_ack_timestamp} in {@code GET /jobs/{id}/checkpoints}), when exactly-once output
 *       commits again;
 * </ul>
 *
 * and the tasks restarted (subtasks RUNNING since the kill: none when the new leader adopts them),
 * with {@code jobmanager.failover.reconcile} on and off ({@code -Dbenchmark.failover.reconcile}),
 * the median of a few runs each; and the ZooKeeper operations per completed checkpoint in steady
 * state (write transactions from the zxid, all requests from {@code mntr}). Two JobManagers and two
 * TaskManagers, each a JVM of its own, run Ledger (4 subtasks per vertex, checkpoints every 500
 * ms); a fresh JobManager replaces each stopped one once the failover is measured, so a standby is
 * always there. Reports to stdout and {@code it/target/benchmark-failover.md}; asserts only that
 * every failover recovered the job. Run with {@code bin/benchmark.sh} (see the README).
 */
class FailoverBenchmark {
  private static final int RUNS = Integer.getInteger("benchmark.failover.runs", 3);
  // Baton's default and a short one; -Dbenchmark.failover.session-timeouts=2 for a quick look
  private static final List<Duration> SESSION_TIMEOUTS =
      java.util.Arrays.stream(
              System.getProperty("benchmark.failover.session-timeouts", "60,2").split(","))
          .map(s -> Duration.ofSeconds(Long.parseLong(s.trim())))
          .toList();
  // with and without adoption by the new leader; -Dbenchmark.failover.reconcile=true for one
  private static final List<Boolean> RECONCILE =
      java.util.Arrays.stream(
              System.getProperty("benchmark.failover.reconcile", "true,false").split(","))
          .map(s -> Boolean.parseBoolean(s.trim()))
          .toList();
  private static final int CHECKPOINT_INTERVAL_MS = 500;
  private static final int STEADY_STATE_CHECKPOINTS = 20;

  @TempDir Path workDir;
  private final StringBuilder report = new StringBuilder();
  private final List<String> operations = new ArrayList<>();
  @RegisterExtension final HaClusterExtension ha = new HaClusterExtension();

  private enum Stop {
    SIGKILL,
    SIGTERM
  }

  /** One failover, in epoch milliseconds, and how many tasks the new leader started again. */
  private record Failover(
      long signalled, long granted, long allRunning, long checkpointed, int tasksRestarted) {
    long detection() {
      return granted - signalled;
    }

    long recovery() {
      return allRunning - granted;
    }

    long catchUp() {
      return checkpointed - allRunning;
    }

    long total() {
      return checkpointed - signalled;
    }
  }

  @AfterEach
  void tearDown() throws Exception {
    ha.stop();
    if (!operations.isEmpty()) {
      report
          .append("\n### ZooKeeper operations per completed checkpoint (steady state)\n\n")
          .append(
              "| session timeout | checkpoints | write transactions / checkpoint |"
                  + " requests / checkpoint (incl. session pings) |\n|---|---|---|---|\n");
      operations.forEach(report::append);
      report.append('\n');
    }
    BenchmarkReportFile.write("benchmark-failover.md", report);
  }

  @Test
  void failoverTimes() throws Exception {
    report
        .append("## JobManager failover on ZooKeeper\n\n")
        .append(
            String.format(
                Locale.ROOT,
                "2 JobManagers + 2 TaskManagers (2 slots), one JVM each, one ZooKeeper server;"
                    + " Ledger at parallelism 4, checkpoints every %d ms; %d runs per row,"
                    + " median (min–max) in ms.%n%n",
                CHECKPOINT_INTERVAL_MS,
                RUNS))
        .append(
            "| session timeout | reconcile | stop | detection | recovery | catch-up |"
                + " total (kill → checkpoint) | tasks restarted |\n"
                + "|---|---|---|---|---|---|---|---|\n");
    for (Duration sessionTimeout : SESSION_TIMEOUTS) {
      for (boolean reconcile : RECONCILE) {
        measure(sessionTimeout, reconcile);
      }
    }
  }

  /**
   * One cluster at {@code sessionTimeout}, with or without adoption: its steady-state ZooKeeper
   * operations (once per session timeout), then its failovers.
   */
  private void measure(Duration sessionTimeout, boolean reconcile) throws Exception {
    String name = "failover-" + sessionTimeout.toSeconds() + "s-reconcile-" + reconcile;
    HaCluster cluster =
        ha.start(
            ZooKeeperEnsemble.single(),
            name,
            workDir.resolve(name),
            sessionTimeout,
            c -> c.setString("jobmanager.failover.reconcile", Boolean.toString(reconcile)));
    cluster.startJobManager("jm1");
    cluster.startJobManager("jm2");
    cluster.startTaskManager("tm1", 2);
    cluster.startTaskManager("tm2", 2);
    JobManagerProcess leader = cluster.awaitLeader(Duration.ofMinutes(2));
    cluster.awaitTaskManagers(2, Duration.ofMinutes(1));
    // runs until cancelled: a billion events at 10,000 a second
    LedgerJob ledger =
        new LedgerJob(
            1_000_000_000L, 97, 10_000, CHECKPOINT_INTERVAL_MS, workDir.resolve(name + "-out"));
    String jobId = ledger.submit(leader.rest(), 4);
    cluster.awaitJobState(jobId, "RUNNING", Duration.ofMinutes(1));
    cluster.awaitCheckpointAfter(jobId, 0, Duration.ofMinutes(1));

    if (reconcile == RECONCILE.get(0)) {
      operations.add(zooKeeperOperationsPerCheckpoint(sessionTimeout, leader.rest(), jobId));
    }

    for (Stop stop : Stop.values()) {
      List<Failover> runs = new ArrayList<>();
      for (int run = 0; run < RUNS; run++) {
        runs.add(failover(jobId, stop, sessionTimeout));
      }
      report.append(
          String.format(
              Locale.ROOT,
              "| %d s | %s | %s | %s | %s | %s | %s | %s |%n",
              sessionTimeout.toSeconds(),
              reconcile ? "on" : "off",
              stop,
              stats(runs, Failover::detection),
              stats(runs, Failover::recovery),
              stats(runs, Failover::catchUp),
              stats(runs, Failover::total),
              stats(runs, Failover::tasksRestarted)));
    }
    cluster.currentLeader().orElseThrow().rest().patch("/jobs/" + jobId + "?mode=cancel");
    cluster.awaitJobState(jobId, "CANCELED", Duration.ofMinutes(1));
    ha.stop();
  }

  /**
   * Stops the leader, starts a replacement JobManager and times the phases until the job has
   * completed a checkpoint under the new leader.
   */
  private Failover failover(String jobId, Stop stop, Duration sessionTimeout) throws Exception {
    HaCluster cluster = ha.cluster();
    JobManagerProcess leader = cluster.awaitLeader(Duration.ofMinutes(1));
    HaStatus before = leader.ha().orElseThrow();
    // a starved process can lose its session on its own: count from what the leader says now
    int recoveries = leader.rest().getOk("/jobs/" + jobId).get("recoveries").asInt() + 1;
    cluster.awaitAllContend(leader, Duration.ofMinutes(1));

    long signalled = System.currentTimeMillis();
    if (stop == Stop.SIGKILL) {
      leader.kill();
    } else {
      leader.terminate();
    }
    JobManagerProcess next =
        cluster.awaitNewLeader(
            before.leaderTokenDigest(), sessionTimeout.plus(Duration.ofMinutes(1)));
    long granted = next.ha().orElseThrow().leaderSince();

    long allRunning =
        JobPoll.firstSeenAt(
            "all tasks of " + jobId + " RUNNING after recovery " + recoveries,
            Duration.ofMinutes(2),
            Duration.ofMillis(20),
            () -> next.rest().get("/jobs/" + jobId, Duration.ofSeconds(1)).body(),
            job ->
                job.get("recoveries").asInt() >= recoveries
                    && JobStatusCounts.allTasksRunning(job));
    AtomicLong checkpointed = new AtomicLong(-1);
    await("a checkpoint of " + jobId + " completed after the kill")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(
            () -> {
              FailoverReadings.firstCheckpointCompletedSince(next.rest(), jobId, signalled)
                  .ifPresent(checkpointed::set);
              return checkpointed.get() >= 0;
            });
    int restarted = FailoverReadings.tasksStartedSince(next.rest(), jobId, signalled);
    if (stop == Stop.SIGTERM) {
      leader.process().awaitExit(Duration.ofMinutes(1));
    }
    // the replacement standby starts after the measurement: its JVM start-up would compete with
    // the recovery for the CPU
    cluster.startJobManager("jm" + (cluster.jobManagers().size() + 1));
    assertThat(next.rest().getOk("/jobs/" + jobId).get("state").asText()).isEqualTo("RUNNING");
    return new Failover(signalled, granted, allRunning, checkpointed.get(), restarted);
  }

  /**
   * ZooKeeper operations per completed checkpoint while the job runs undisturbed: the ensemble's
   * zxid counts write transactions; {@code mntr}'s {@code zk_packets_received} counts every request
   * (reads, writes and the session pings of the five clients). Only the leader's {@code
   * /checkpoints} is polled meanwhile, every 500 ms: {@code GET /ha} lists the contenders, a read
   * of its own.
   */
  private String zooKeeperOperationsPerCheckpoint(
      Duration sessionTimeout, RestApi leader, String jobId) throws Exception {
    ZooKeeperEnsemble zooKeeper = ha.zooKeeper();
    int completedBefore = completedCheckpoints(leader, jobId);
    long zxidBefore = zooKeeper.lastZxid();
    long packetsBefore = Long.parseLong(zooKeeper.mntr().get("zk_packets_received"));
    await(STEADY_STATE_CHECKPOINTS + " checkpoints completed")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                completedCheckpoints(leader, jobId) >= completedBefore + STEADY_STATE_CHECKPOINTS);
    long packetsAfter = Long.parseLong(zooKeeper.mntr().get("zk_packets_received"));
    long zxidAfter = zooKeeper.lastZxid();
    int completed = completedCheckpoints(leader, jobId) - completedBefore;
    // the second zxid probe is one write (and one request) of this benchmark's own
    double writes = (zxidAfter - zxidBefore - 1) / (double) completed;
    double requests = (packetsAfter - packetsBefore - 1) / (double) completed;
    return String.format(
        Locale.ROOT,
        "| %d s | %d | %.1f | %.1f |%n",
        sessionTimeout.toSeconds(),
        completed,
        writes,
        requests);
  }

  private static int completedCheckpoints(RestApi leader, String jobId) {
    return leader.getOk("/jobs/" + jobId + "/checkpoints").get("counts").get("completed").asInt();
  }

  private static String stats(List<Failover> runs, ToLongFunction<Failover> phase) {
    return MedianRange.format(runs.stream().mapToLong(phase).toArray());
  }
}
