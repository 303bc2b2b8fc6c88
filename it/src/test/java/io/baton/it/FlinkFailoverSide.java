package io.baton.it;

import static io.baton.it.FailoverComparisonSettings.CHECKPOINT_INTERVAL_MS;
import static io.baton.it.FailoverComparisonSettings.EVENTS;
import static io.baton.it.FailoverComparisonSettings.JOB_MANAGER_JVM;
import static io.baton.it.FailoverComparisonSettings.KEYS;
import static io.baton.it.FailoverComparisonSettings.PARALLELISM;
import static io.baton.it.FailoverComparisonSettings.RATE;
import static io.baton.it.FailoverComparisonSettings.REQUEST_TIMEOUT;
import static io.baton.it.FailoverComparisonSettings.SLOTS;
import static io.baton.it.FailoverComparisonSettings.TASK_MANAGER_JVM;

import io.baton.it.FlinkHaCluster.LeaderInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * JobManager failover side by side with Apache Flink 1.20.1, part {@code failover} of the
 * comparison table: a Flink session cluster with ZooKeeper HA ({@link FlinkHaCluster}) and a Baton
 * cluster ({@link HaCluster}), each two JobManagers and one TaskManager with 2 slots, one JVM per
 * process with the same heap, on the same ZooKeeper server (under different root znodes) with the
 * same session timeout, heartbeats, restart strategy and checkpoint interval, run the Ledger logic
 * at parallelism 2, rate-limited. The leading JobManager is killed with SIGKILL; the time until the
 * job runs again is taken; a replacement JobManager is then started so there are always two, and
 * the next kill waits for it to join the election and for a checkpoint after the recovery. The two
 * sides run one after the other in the same test, each measured by the same loop:
 *
 * <ul>
 *   <li>recovery: the kill (just before SIGKILL is sent) → the first poll (every 20 ms) at which
 *       <p>/** Flink 1.20.1: StandaloneSessionClusterEntrypoint ×2, TaskManagerRunner ×1,
 *       FlinkLedger.
 */
final class FlinkFailoverSide implements FailoverSide {
  private final Path dir;
  private final ZooKeeperEnsemble zooKeeper;
  private final Path output;
  private final Duration sessionTimeout;
  private FlinkHaCluster cluster;
  private String jobId;
  private FlinkHaCluster.JobManager leader;
  private UUID dispatcherBefore;
  private UUID jobMasterBefore;
  private long checkpointBefore;
  private int started;

  FlinkFailoverSide(Path dir, ZooKeeperEnsemble zooKeeper, Duration sessionTimeout) {
    this.zooKeeper = zooKeeper;
    this.sessionTimeout = sessionTimeout;
    this.dir = dir;
    this.output = dir.resolve("ledger-out");
  }

  @Override
  public String name() {
    return "Flink";
  }

  @Override
  public void start() throws Exception {
    cluster =
        FlinkHaCluster.create(
            "flink-failover-" + sessionTimeout.toMillis() + "ms",
            dir,
            zooKeeper,
            flinkSettings(sessionTimeout),
            JOB_MANAGER_JVM,
            TASK_MANAGER_JVM);
    startJobManager();
    startJobManager();
    cluster.startTaskManager("tm1", SLOTS);
    FlinkHaCluster.JobManager first = cluster.awaitLeader(Duration.ofMinutes(3));
    cluster.awaitTaskManagers(1, Duration.ofMinutes(2));
    cluster.awaitContenders(2, Duration.ofMinutes(1));
    jobId =
        cluster.submit(
            first,
            FlinkClasspath.benchmarkJar(),
            "io.baton.flinkbench.FlinkLedger",
            PARALLELISM,
            "--events",
            Long.toString(EVENTS),
            "--keys",
            Integer.toString(KEYS),
            "--rate",
            Integer.toString(RATE),
            "--parallelism",
            Integer.toString(PARALLELISM),
            "--checkpoint-interval",
            Integer.toString(CHECKPOINT_INTERVAL_MS),
            "--output",
            output.toUri().toString());
    Awaits.until(
        "Flink job " + jobId + " RUNNING with all tasks",
        Duration.ofMinutes(2),
        () -> FailoverSide.allTasksRunning(cluster.job(jobId)));
    Awaits.until(
        "a checkpoint of Flink job " + jobId,
        Duration.ofMinutes(2),
        () -> cluster.latestCompletedCheckpoint(jobId) > 0);
  }

  private void startJobManager() throws Exception {
    started++;
    cluster.startJobManager("jm" + started);
  }

  @Override
  public void beforeKill() throws Exception {
    cluster.awaitContenders(2, Duration.ofMinutes(1));
    leader = cluster.awaitLeader(Duration.ofMinutes(1));
    dispatcherBefore = cluster.leaderInfo(FlinkHaCluster.DISPATCHER).orElseThrow().sessionId();
    jobMasterBefore = cluster.leaderInfo(FlinkHaCluster.jobMaster(jobId)).orElseThrow().sessionId();
    checkpointBefore = cluster.latestCompletedCheckpoint(jobId);
  }

  @Override
  public void killLeader() throws Exception {
    leader.process().kill();
  }

  @Override
  public OptionalLong newLeaderPublished() throws Exception {
    Optional<LeaderInfo> info = cluster.leaderInfo(FlinkHaCluster.DISPATCHER);
    return info.isPresent() && !info.get().sessionId().equals(dispatcherBefore)
        ? OptionalLong.of(info.get().modified())
        : OptionalLong.empty();
  }

  @Override
  public boolean recovered() throws Exception {
    Optional<LeaderInfo> jobMaster = cluster.leaderInfo(FlinkHaCluster.jobMaster(jobId));
    if (jobMaster.isEmpty() || jobMaster.get().sessionId().equals(jobMasterBefore)) {
      return false;
    }
    Optional<FlinkHaCluster.JobManager> now = cluster.currentLeader();
    if (now.isEmpty() || now.get() == leader) {
      return false;
    }
    RestApi.Response job = now.get().rest().get("/jobs/" + jobId, REQUEST_TIMEOUT);
    return job.status() == 200 && FailoverSide.allTasksRunning(job.body());
  }

  @Override
  public RestApi leaderRest() throws Exception {
    return cluster.currentLeader().orElseThrow().rest();
  }

  @Override
  public void restoreShape() throws Exception {
    startJobManager();
    cluster.awaitContenders(2, Duration.ofMinutes(2));
    Awaits.until(
        "a checkpoint of Flink job " + jobId + " after " + checkpointBefore,
        Duration.ofMinutes(2),
        () -> cluster.latestCompletedCheckpoint(jobId) > checkpointBefore);
  }

  @Override
  public String jobId() {
    return jobId;
  }

  @Override
  public String jobState() throws Exception {
    return cluster.job(jobId).path("state").asText();
  }

  @Override
  public LedgerVerifier.Result verify() throws Exception {
    return FlinkHaCluster.verifyLedger(output, EVENTS, KEYS);
  }

  @Override
  public String logsTail(int charsPerProcess) {
    return cluster == null ? "" : cluster.logsTail(charsPerProcess);
  }

  @Override
  public void close() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** The Flink keys that match Baton's settings in HaCluster and ClusterConfigs. */
  private static Map<String, String> flinkSettings(Duration sessionTimeout) {
    return Map.ofEntries(
        Map.entry(
            "high-availability.zookeeper.client.session-timeout",
            sessionTimeout.toMillis() + " ms"),
        Map.entry("heartbeat.interval", "250 ms"),
        Map.entry("heartbeat.timeout", "3 s"),
        Map.entry("restart-strategy.type", "fixed-delay"),
        Map.entry("restart-strategy.fixed-delay.attempts", "10"),
        Map.entry("restart-strategy.fixed-delay.delay", "200 ms"),
        Map.entry("parallelism.default", Integer.toString(PARALLELISM)),
        Map.entry("jobmanager.memory.heap.size", "256m"),
        // a TaskManagerRunner started without Flink's scripts needs every memory component and
        // its cores spelled out, as the scripts pass them; heap 64m + 192m = Baton's -Xmx256m
        Map.entry("taskmanager.memory.framework.heap.size", "64m"),
        Map.entry("taskmanager.memory.task.heap.size", "192m"),
        Map.entry("taskmanager.memory.task.off-heap.size", "0m"),
        Map.entry("taskmanager.memory.framework.off-heap.size", "128m"),
        Map.entry("taskmanager.memory.jvm-metaspace.size", "256m"),
        Map.entry("taskmanager.memory.jvm-overhead.min", "192m"),
        Map.entry("taskmanager.memory.jvm-overhead.max", "192m"),
        Map.entry("taskmanager.memory.managed.size", "0m"),
        Map.entry("taskmanager.cpu.cores", Integer.toString(SLOTS)),
        Map.entry("taskmanager.memory.network.min", "32m"),
        Map.entry("taskmanager.memory.network.max", "32m"));
  }
}
