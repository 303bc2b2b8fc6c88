package io.baton.it;

import static io.baton.it.FailoverComparisonSettings.CHECKPOINT_INTERVAL_MS;
import static io.baton.it.FailoverComparisonSettings.EVENTS;
import static io.baton.it.FailoverComparisonSettings.KEYS;
import static io.baton.it.FailoverComparisonSettings.PARALLELISM;
import static io.baton.it.FailoverComparisonSettings.RATE;
import static io.baton.it.FailoverComparisonSettings.REQUEST_TIMEOUT;
import static io.baton.it.FailoverComparisonSettings.SLOTS;

import io.baton.it.HaCluster.JobManagerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

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
 *       <p>/** Baton: HaCluster's JobManagers ×2 and TaskManager ×1, the examples' Ledger.
 */
final class BatonFailoverSide implements FailoverSide {
  private final Path dir;
  private final ZooKeeperEnsemble zooKeeper;
  private final LedgerJob ledger;
  private final Duration sessionTimeout;
  private HaCluster cluster;
  private String jobId;
  private JobManagerProcess leader;
  private String infoBefore;
  private int recoveriesBefore;
  private long checkpointBefore;
  private int started;

  BatonFailoverSide(Path dir, ZooKeeperEnsemble zooKeeper, Duration sessionTimeout) {
    this.zooKeeper = zooKeeper;
    this.sessionTimeout = sessionTimeout;
    this.dir = dir;
    this.ledger = new LedgerJob(EVENTS, KEYS, RATE, CHECKPOINT_INTERVAL_MS, dir.resolve("out"));
  }

  @Override
  public String name() {
    return "Baton";
  }

  @Override
  public void start() throws Exception {
    cluster =
        HaCluster.create(
            "flink-failover-baton-" + sessionTimeout.toMillis() + "ms",
            dir,
            zooKeeper,
            sessionTimeout,
            // the capability compared: a new leader adopts the running tasks
            c -> c.setString("jobmanager.failover.reconcile", "true"));
    startJobManager();
    startJobManager();
    cluster.startTaskManager("tm1", SLOTS);
    JobManagerProcess first = cluster.awaitLeader(Duration.ofMinutes(3));
    cluster.awaitTaskManagers(1, Duration.ofMinutes(2));
    jobId = ledger.submit(first.rest(), PARALLELISM);
    Awaits.until(
        "Baton job " + jobId + " RUNNING with all tasks",
        Duration.ofMinutes(2),
        () -> FailoverSide.allTasksRunning(cluster.job(jobId)));
    cluster.awaitCheckpointAfter(jobId, 0, Duration.ofMinutes(2));
  }

  private void startJobManager() throws Exception {
    started++;
    cluster.startJobManager("jm" + started);
  }

  @Override
  public void beforeKill() throws Exception {
    leader = cluster.awaitLeader(Duration.ofMinutes(1));
    cluster.awaitAllContend(leader, Duration.ofMinutes(1));
    infoBefore = zooKeeper.data(infoPath());
    recoveriesBefore = leader.rest().getOk("/jobs/" + jobId).get("recoveries").asInt();
    checkpointBefore = HaCluster.latestCompletedCheckpoint(cluster.checkpoints(jobId));
  }

  private String infoPath() {
    return cluster.clusterPath() + "/leader/info";
  }

  @Override
  public void killLeader() throws Exception {
    leader.kill();
  }

  @Override
  public OptionalLong newLeaderPublished() throws Exception {
    Stat stat = new Stat();
    byte[] data;
    try {
      data = zooKeeper.client().getData().storingStatIn(stat).forPath(infoPath());
    } catch (KeeperException.NoNodeException none) {
      return OptionalLong.empty();
    }
    String info = new String(data, java.nio.charset.StandardCharsets.UTF_8);
    return info.equals(infoBefore) ? OptionalLong.empty() : OptionalLong.of(stat.getMtime());
  }

  @Override
  public boolean recovered() throws Exception {
    // leader/info: "<rpc address>\n<session id>\n<rest url>\n<instance id>"
    String[] info = zooKeeper.data(infoPath()).split("\n");
    Optional<JobManagerProcess> now =
        cluster.liveJobManagers().stream()
            .filter(jm -> info.length >= 3 && jm.rest().baseUrl().equals(info[2].trim()))
            .findFirst();
    if (now.isEmpty() || now.get() == leader) {
      return false;
    }
    RestApi.Response job = now.get().rest().get("/jobs/" + jobId, REQUEST_TIMEOUT);
    return job.status() == 200
        && job.body().path("recoveries").asInt() > recoveriesBefore
        && FailoverSide.allTasksRunning(job.body());
  }

  @Override
  public RestApi leaderRest() {
    return cluster.currentLeader().orElseThrow().rest();
  }

  @Override
  public void restoreShape() throws Exception {
    startJobManager();
    JobManagerProcess now = cluster.awaitLeader(Duration.ofMinutes(1));
    Awaits.until(
        "the replacement Baton JobManager contends",
        Duration.ofMinutes(2),
        () -> now.ha().orElseThrow().contenders().size() >= 2);
    cluster.awaitCheckpointAfter(jobId, checkpointBefore, Duration.ofMinutes(2));
  }

  @Override
  public String jobId() {
    return jobId;
  }

  @Override
  public String jobState() {
    return cluster.job(jobId).path("state").asText();
  }

  @Override
  public LedgerVerifier.Result verify() throws Exception {
    return LedgerVerifier.verify(ledger.output(), EVENTS, KEYS);
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
}
