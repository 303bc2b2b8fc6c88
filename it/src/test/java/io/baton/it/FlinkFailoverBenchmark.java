package io.baton.it;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.it.FlinkHaCluster.LeaderInfo;
import io.baton.it.HaCluster.JobManagerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
 *       {@code GET /jobs/{id}} on the new leader's REST answers {@code state} RUNNING and every
 *       vertex has {@code tasks.RUNNING == parallelism}, with evidence that the new leader
 *       recovered it (Baton: its {@code recoveries} went up; Flink: the job's JobMaster leader
 *       session in ZooKeeper changed, and the REST endpoint asked is the one ZooKeeper names as
 *       leader);
 *   <li>detection: the kill → the ZooKeeper modification time of the leader information the new
 *       leader publishes once it has read the stored job graphs (Baton: {@code
 *       /baton/<id>/leader/info}; Flink: {@code <root>/<id>/leader/dispatcher/connection_info}),
 *       found by the same 20 ms poll.
 * </ul>
 *
 * <p>Both jobs are bounded; once the failovers are done the benchmark waits for them to finish and
 * runs each side's own Ledger verifier on the output. It reports the median, min and max per side
 * and the ratio Baton/Flink to {@code it/target/comparison-failover.md}; it never asserts a figure
 * and fails only when a side cannot start. Settings: {@code -Dbenchmark.failover.runs} (5), {@code
 * -Dbenchmark.failover.session-timeout-ms} (6000), {@code
 * -Dbenchmark.failover.checkpoint-interval-ms} (1000), {@code -Dbenchmark.failover.rate} (2000
 * events/s), {@code -Dbenchmark.failover.events} (enough for the runs at that rate).
 */
class FlinkFailoverBenchmark {
  private static final int RUNS = Integer.getInteger("benchmark.failover.runs", 5);
  private static final Duration SESSION_TIMEOUT =
      Duration.ofMillis(Long.getLong("benchmark.failover.session-timeout-ms", 6_000));
  private static final int CHECKPOINT_INTERVAL_MS =
      Integer.getInteger("benchmark.failover.checkpoint-interval-ms", 1_000);
  private static final int RATE = Integer.getInteger("benchmark.failover.rate", 2_000);
  // the job only advances while it runs: ~30 s of it per failover cycle, and some to spare
  private static final long EVENTS =
      Long.getLong("benchmark.failover.events", RATE * (RUNS * 30L + 30));
  private static final int KEYS = 97;
  private static final int PARALLELISM = 2;
  private static final int SLOTS = 2;
  private static final Duration POLL = Duration.ofMillis(20);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(1);
  // what HaCluster starts Baton's JobManagers and TaskManagers with; Flink's get the same
  private static final List<String> JOB_MANAGER_JVM =
      List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
  private static final List<String> TASK_MANAGER_JVM = List.of("-Xmx256m", "-XX:+UseSerialGC");
  private static final List<String> TERMINAL = List.of("FINISHED", "FAILED", "CANCELED");
  private static final String BENCHMARK = "failover (SIGKILL leader JobManager)";

  @TempDir Path workDir;
  private ZooKeeperEnsemble zooKeeper;
  private final List<Side> sides = new ArrayList<>();

  /** One failover, in epoch milliseconds. */
  record Failover(long killed, long published, long allRunning) {
    long detection() {
      return published - killed;
    }

    long recovery() {
      return allRunning - killed;
    }

    long afterPublished() {
      return allRunning - published;
    }
  }

  /** What one side measured, and how its output checked out. */
  record Outcome(List<Failover> runs, String note, String verdict, boolean exact) {}

  @AfterEach
  void tearDown() throws Exception {
    for (Side side : sides) {
      side.close();
    }
    if (zooKeeper != null) {
      zooKeeper.close();
    }
  }

  @Test
  void leaderKilledFlinkAndBaton() throws Exception {
    zooKeeper = ZooKeeperEnsemble.single();
    FlinkSide flink = new FlinkSide(workDir.resolve("flink"));
    BatonSide baton = new BatonSide(workDir.resolve("baton"));
    sides.add(flink);
    sides.add(baton);
    Outcome flinkOutcome = measure(flink);
    flink.close();
    Outcome batonOutcome = measure(baton);
    baton.close();
    report(batonOutcome, flinkOutcome);
  }

  /** Starts the side's cluster and job, runs the failovers, waits for the end, verifies. */
  private Outcome measure(Side side) throws Exception {
    try {
      side.start();
    } catch (Exception | AssertionError e) {
      throw new AssertionError(
          side.name() + " side cannot start: " + e.getMessage() + side.logsTail(3_000), e);
    }
    List<Failover> runs = new ArrayList<>();
    String note = "";
    for (int run = 1; run <= RUNS; run++) {
      try {
        if (side.jobEnded()) {
          note = "job ended after " + runs.size() + " failovers; raise benchmark.failover.events";
          break;
        }
        Failover failover = failover(side);
        runs.add(failover);
        System.out.printf(
            Locale.ROOT,
            "%s failover %d: detection %d ms, recovery %d ms%n",
            side.name(),
            run,
            failover.detection(),
            failover.recovery());
      } catch (Exception | AssertionError e) {
        note = "run " + run + " not measured: " + e.getMessage();
        System.out.println(side.name() + ": " + note + side.logsTail(2_000));
        break;
      }
    }
    String verdict;
    boolean exact = false;
    try {
      String end = side.awaitEnd(Duration.ofSeconds(EVENTS / RATE * 2 + 180));
      if (end.equals("FINISHED")) {
        LedgerVerifier.Result result = side.verify();
        exact = result.exitCode() == 0;
        verdict = (exact ? "exact: " : "NOT exact: ") + result.output();
      } else {
        verdict = "not verified: job " + end;
      }
    } catch (Exception | AssertionError e) {
      verdict = "not verified: " + e.getMessage();
    }
    System.out.println(side.name() + " output: " + verdict);
    return new Outcome(runs, note, verdict, exact);
  }

  /**
   * Kills the side's leader, polls every 20 ms until the job runs again under the new leader,
   * starts a replacement JobManager and waits for the cluster to be back in shape.
   */
  private Failover failover(Side side) throws Exception {
    side.beforeKill();
    long killed = System.currentTimeMillis();
    side.killLeader();
    AtomicLong published = new AtomicLong(-1);
    AtomicLong allRunning = new AtomicLong(-1);
    await(side.name() + ": job RUNNING again under a new leader")
        .atMost(SESSION_TIMEOUT.plus(Duration.ofMinutes(3)))
        .pollDelay(Duration.ZERO)
        .pollInterval(POLL)
        .ignoreExceptions()
        .until(
            () -> {
              if (published.get() < 0) {
                side.newLeaderPublished().ifPresent(published::set);
              }
              if (published.get() >= 0 && side.recovered()) {
                allRunning.set(System.currentTimeMillis());
                return true;
              }
              return false;
            });
    // the replacement starts after the measurement: its JVM start-up would compete for the CPU
    side.restoreShape();
    return new Failover(killed, published.get(), allRunning.get());
  }

  /** RUNNING, and every vertex has as many RUNNING tasks as its parallelism: same for both. */
  static boolean allTasksRunning(JsonNode job) {
    if (job == null || !"RUNNING".equals(job.path("state").asText())) {
      return false;
    }
    JsonNode vertices = job.path("vertices");
    if (!vertices.isArray() || vertices.isEmpty()) {
      return false;
    }
    for (JsonNode vertex : vertices) {
      int parallelism = vertex.path("parallelism").asInt(-1);
      if (parallelism <= 0 || vertex.path("tasks").path("RUNNING").asInt(0) != parallelism) {
        return false;
      }
    }
    return true;
  }

  /** One cluster of the comparison, as the failover loop drives it. */
  private interface Side extends AutoCloseable {
    String name();

    /** Starts two JobManagers, a TaskManager and the job; returns once it checkpointed. */
    void start() throws Exception;

    /** Notes the leader and what it published; waits until both JobManagers contend. */
    void beforeKill() throws Exception;

    void killLeader() throws Exception;

    /** The ZooKeeper write time of the new leader's published address, once there is one. */
    OptionalLong newLeaderPublished() throws Exception;

    /** Whether the new leader's REST reports the recovered job with every task RUNNING. */
    boolean recovered() throws Exception;

    /** Starts a replacement JobManager; waits until it contends and the job checkpointed. */
    void restoreShape() throws Exception;

    /** The id of the job {@link #start} submitted. */
    String jobId();

    /** The job's state, as the side's REST API reports it now. */
    String jobState() throws Exception;

    default boolean jobEnded() throws Exception {
      return TERMINAL.contains(jobState());
    }

    /** Waits for the job to end; returns its final state. */
    default String awaitEnd(Duration deadline) {
      String[] state = {""};
      Awaits.until(
          name() + " job " + jobId() + " ended",
          deadline,
          () -> {
            state[0] = jobState();
            return TERMINAL.contains(state[0]);
          });
      return state[0];
    }

    LedgerVerifier.Result verify() throws Exception;

    String logsTail(int charsPerProcess);

    @Override
    void close();
  }

  /** Flink 1.20.1: StandaloneSessionClusterEntrypoint ×2, TaskManagerRunner ×1, FlinkLedger. */
  private final class FlinkSide implements Side {
    private final Path dir;
    private final Path output;
    private FlinkHaCluster cluster;
    private String jobId;
    private FlinkHaCluster.JobManager leader;
    private UUID dispatcherBefore;
    private UUID jobMasterBefore;
    private long checkpointBefore;
    private int started;

    FlinkSide(Path dir) {
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
              "flink-failover", dir, zooKeeper, flinkSettings(), JOB_MANAGER_JVM, TASK_MANAGER_JVM);
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
          () -> allTasksRunning(cluster.job(jobId)));
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
      jobMasterBefore =
          cluster.leaderInfo(FlinkHaCluster.jobMaster(jobId)).orElseThrow().sessionId();
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
      return job.status() == 200 && allTasksRunning(job.body());
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
  }

  /** The Flink keys that match Baton's settings in HaCluster and ClusterConfigs. */
  private static Map<String, String> flinkSettings() {
    return Map.ofEntries(
        Map.entry(
            "high-availability.zookeeper.client.session-timeout",
            SESSION_TIMEOUT.toMillis() + " ms"),
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

  /** Baton: HaCluster's JobManagers ×2 and TaskManager ×1, the examples' Ledger. */
  private final class BatonSide implements Side {
    private final Path dir;
    private final LedgerJob ledger;
    private HaCluster cluster;
    private String jobId;
    private JobManagerProcess leader;
    private String infoBefore;
    private int recoveriesBefore;
    private long checkpointBefore;
    private int started;

    BatonSide(Path dir) {
      this.dir = dir;
      this.ledger = new LedgerJob(EVENTS, KEYS, RATE, CHECKPOINT_INTERVAL_MS, dir.resolve("out"));
    }

    @Override
    public String name() {
      return "Baton";
    }

    @Override
    public void start() throws Exception {
      cluster = HaCluster.create("flink-failover-baton", dir, zooKeeper, SESSION_TIMEOUT, c -> c);
      startJobManager();
      startJobManager();
      cluster.startTaskManager("tm1", SLOTS);
      JobManagerProcess first = cluster.awaitLeader(Duration.ofMinutes(3));
      cluster.awaitTaskManagers(1, Duration.ofMinutes(2));
      jobId = ledger.submit(first.rest(), PARALLELISM);
      Awaits.until(
          "Baton job " + jobId + " RUNNING with all tasks",
          Duration.ofMinutes(2),
          () -> allTasksRunning(cluster.job(jobId)));
      cluster.awaitCheckpointAfter(jobId, 0, Duration.ofMinutes(2));
    }

    private void startJobManager() throws Exception {
      started++;
      cluster.startJobManager("jm" + started);
    }

    @Override
    public void beforeKill() throws Exception {
      leader = cluster.awaitLeader(Duration.ofMinutes(1));
      Awaits.until(
          "every live Baton JobManager contends",
          Duration.ofMinutes(1),
          () ->
              leader
                  .ha()
                  .orElseThrow()
                  .contenders()
                  .containsAll(
                      cluster.liveJobManagers().stream().map(JobManagerProcess::id).toList()));
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
      // leader/info: "<rpc address>\n<session id>\n<rest url>"
      String[] info = zooKeeper.data(infoPath()).split("\n");
      Optional<JobManagerProcess> now =
          cluster.liveJobManagers().stream()
              .filter(jm -> info.length == 3 && jm.rest().baseUrl().equals(info[2].trim()))
              .findFirst();
      if (now.isEmpty() || now.get() == leader) {
        return false;
      }
      RestApi.Response job = now.get().rest().get("/jobs/" + jobId, REQUEST_TIMEOUT);
      return job.status() == 200
          && job.body().path("recoveries").asInt() > recoveriesBefore
          && allTasksRunning(job.body());
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

  private void report(Outcome baton, Outcome flink) throws Exception {
    ComparisonReport report = new ComparisonReport("failover");
    String runsMeasure = "of " + RUNS + " kills";
    if (baton.runs().isEmpty() || flink.runs().isEmpty()) {
      report.rowWithout(
          BENCHMARK,
          "kill → job RUNNING again, all tasks RUNNING (ms)",
          summary(baton.runs(), Failover::recovery),
          summary(flink.runs(), Failover::recovery),
          "not measured on both sides: " + (baton.note() + " " + flink.note()).trim());
    } else {
      report
          .row(
              BENCHMARK,
              "kill → job RUNNING again, all tasks RUNNING: median " + runsMeasure + " (ms)",
              median(baton.runs(), Failover::recovery),
              median(flink.runs(), Failover::recovery))
          .row(
              BENCHMARK,
              "kill → job RUNNING again, all tasks RUNNING: min (ms)",
              min(baton.runs(), Failover::recovery),
              min(flink.runs(), Failover::recovery))
          .row(
              BENCHMARK,
              "kill → job RUNNING again, all tasks RUNNING: max (ms)",
              max(baton.runs(), Failover::recovery),
              max(flink.runs(), Failover::recovery))
          .row(
              BENCHMARK,
              "detection: kill → new leader's address in ZooKeeper, median (ms)",
              median(baton.runs(), Failover::detection),
              median(flink.runs(), Failover::detection))
          .row(
              BENCHMARK,
              "new leader's address in ZooKeeper → all tasks RUNNING, median (ms)",
              median(baton.runs(), Failover::afterPublished),
              median(flink.runs(), Failover::afterPublished));
    }
    report.rowWithout(
        BENCHMARK,
        "Ledger output after the kills, each side's verifier",
        baton.verdict(),
        flink.verdict(),
        baton.exact() && flink.exact() ? "both exact" : "see the verdicts");
    report
        .setting(
            "failover: each side 2 JobManagers + 1 TaskManager with "
                + SLOTS
                + " slots, one JVM each, run one side after the other on one ZooKeeper server"
                + " (curator-test TestingServer in the test JVM, 250 ms tick) under different"
                + " root znodes; JobManager JVMs "
                + String.join(" ", JOB_MANAGER_JVM)
                + ", TaskManager JVMs "
                + String.join(" ", TASK_MANAGER_JVM)
                + " (Flink's also with the --add-opens of its distribution for Java 17)")
        .setting(
            "failover: ZooKeeper session timeout "
                + SESSION_TIMEOUT.toMillis()
                + " ms (high-availability.zookeeper.client.session-timeout on both), heartbeats"
                + " every 250 ms with a 3 s timeout (heartbeat.interval/heartbeat.timeout on"
                + " both), restart strategy fixed-delay 10 × 200 ms on both; Flink's other"
                + " settings at their defaults (cluster.registration.*,"
                + " heartbeat.rpc-failure-threshold 2, slot.request.timeout), hashmap state on"
                + " file:// checkpoints, web.refresh-interval 10 ms so its REST does not serve"
                + " a cached job")
        .setting(
            String.format(
                Locale.ROOT,
                "failover: Ledger (Baton's examples jar; Flink: io.baton.flinkbench.FlinkLedger"
                    + " submitted with POST /jars/upload and /jars/{id}/run) at parallelism %d,"
                    + " %,d events on %d keys at %,d events/s, checkpoints every %d ms",
                PARALLELISM,
                EVENTS,
                KEYS,
                RATE,
                CHECKPOINT_INTERVAL_MS))
        .setting(
            "failover: recovery = SIGKILL of the leader → first poll (every 20 ms, 1 s request"
                + " timeout) where GET /jobs/{id} on the new leader's REST answers RUNNING with"
                + " tasks.RUNNING == parallelism for every vertex, and the job was recovered by"
                + " the new leader (Baton: \"recoveries\" went up; Flink: the job's JobMaster"
                + " session in <root>/<id>/leader/job-<job id>/connection_info changed)")
        .setting(
            "failover: detection = SIGKILL → ZooKeeper mtime of the leader information the new"
                + " leader writes after reading the stored job graphs (Baton /baton/<id>/leader"
                + "/info; Flink <root>/<id>/leader/dispatcher/connection_info); after each"
                + " measurement a replacement JobManager is started, and the next kill waits"
                + " until it contends and a checkpoint completed after the recovery")
        .setting(
            "failover: every run (recovery ms): Baton "
                + values(baton.runs(), Failover::recovery)
                + ", Flink "
                + values(flink.runs(), Failover::recovery)
                + "; detection ms: Baton "
                + values(baton.runs(), Failover::detection)
                + ", Flink "
                + values(flink.runs(), Failover::detection))
        .setting(
            "failover: verifiers: Baton's ledger --verify checks every event once with its"
                + " running balance; FlinkLedger --verify checks every event once and each"
                + " account's final balance (Flink's generator splits make the intermediate"
                + " balances timing-dependent)");
    for (Outcome outcome : List.of(baton, flink)) {
      if (!outcome.note().isEmpty()) {
        report.setting(
            "failover: " + (outcome == baton ? "Baton" : "Flink") + ": " + outcome.note());
      }
    }
    report.write();
  }

  private static String values(List<Failover> runs, ToLongFunction<Failover> measure) {
    return runs.stream()
        .map(f -> Long.toString(measure.applyAsLong(f)))
        .collect(Collectors.joining(", ", "[", "]"));
  }

  private static String summary(List<Failover> runs, ToLongFunction<Failover> measure) {
    if (runs.isEmpty()) {
      return "n/a";
    }
    return MedianRange.format(runs.stream().mapToLong(measure).toArray());
  }

  private static long median(List<Failover> runs, ToLongFunction<Failover> measure) {
    return MedianRange.median(runs.stream().mapToLong(measure).toArray());
  }

  private static long min(List<Failover> runs, ToLongFunction<Failover> measure) {
    return runs.stream().mapToLong(measure).min().orElseThrow();
  }

  private static long max(List<Failover> runs, ToLongFunction<Failover> measure) {
    return runs.stream().mapToLong(measure).max().orElseThrow();
  }
}
