package io.baton.it;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.common.config.Configuration;
import io.baton.common.config.CoreOptions;
import io.baton.common.config.RestOptions;
import io.baton.common.config.TaskManagerOptions;
import io.baton.common.security.RestClientSecurity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * A Baton cluster in high-availability mode as an operator runs it: every JobManager and
 * TaskManager a JVM of its own (so a test can SIGKILL, SIGTERM, SIGSTOP and SIGCONT it), all on one
 * ZooKeeper ensemble under a cluster id of their own, HA storage and checkpoints under the work
 * directory unless the settings say otherwise. Finds the leader the way a user does: {@code GET
 * /ha} on each JobManager. Process logs go to {@code target/ha-logs/<name>/}, kept for a look after
 * a failure.
 */
final class HaCluster implements AutoCloseable {
  // the JobManagers do little work in these tests; C1 and a small serial heap start them fast
  private static final List<String> JOB_MANAGER_JVM =
      List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
  private static final List<String> TASK_MANAGER_JVM = List.of("-Xmx256m", "-XX:+UseSerialGC");
  private static final Duration POLL_TIMEOUT = Duration.ofSeconds(1);

  private final Path workDir;
  private final Path logDir;
  private final ZooKeeperEnsemble zooKeeper;
  private final String clusterId = "it-" + UUID.randomUUID().toString().substring(0, 8);
  private final Duration sessionTimeout;
  private final UnaryOperator<Configuration> settings;
  private final List<JobManagerProcess> jobManagers = new CopyOnWriteArrayList<>();
  private final List<JvmProcess> taskManagers = new CopyOnWriteArrayList<>();

  private HaCluster(
      Path workDir,
      Path logDir,
      ZooKeeperEnsemble zooKeeper,
      Duration sessionTimeout,
      UnaryOperator<Configuration> settings) {
    this.workDir = workDir;
    this.logDir = logDir;
    this.zooKeeper = zooKeeper;
    this.sessionTimeout = sessionTimeout;
    this.settings = settings;
  }

  /**
   * A cluster with no process started yet.
   *
   * @param name names the log directory {@code target/ha-logs/<name>} (emptied first)
   * @param settings applied last to every process's configuration
   */
  static HaCluster create(
      String name,
      Path workDir,
      ZooKeeperEnsemble zooKeeper,
      Duration sessionTimeout,
      UnaryOperator<Configuration> settings)
      throws IOException {
    Path logDir = ClusterProcesses.emptiedLogDir(name);
    return new HaCluster(workDir, logDir, zooKeeper, sessionTimeout, settings);
  }

  /** One JobManager process: its JVM and its REST API. */
  static final class JobManagerProcess {
    private final JvmProcess process;
    private final RestApi rest;
    private final int restPort;
    private volatile boolean paused;
    private volatile boolean stopped;

    private JobManagerProcess(JvmProcess process, int restPort, RestClientSecurity security) {
      this.process = process;
      this.restPort = restPort;
      this.rest = new RestApi("127.0.0.1", restPort, security);
    }

    String name() {
      return process.name();
    }

    /** Its contender id, as {@code GET /ha} lists it: {@code <rest.address>:<rest port>}. */
    String id() {
      return "127.0.0.1:" + restPort;
    }

    RestApi rest() {
      return rest;
    }

    JvmProcess process() {
      return process;
    }

    /** Neither killed, stopped nor paused: it can answer. */
    boolean isLive() {
      return !paused && !stopped && process.isAlive();
    }

    /** Its {@code GET /ha}, or empty when it does not answer within a second. */
    Optional<HaStatus> ha() {
      try {
        RestApi.Response r = rest.get("/ha", POLL_TIMEOUT);
        return r.status() == 200 ? Optional.of(HaStatus.of(r.body())) : Optional.empty();
      } catch (RuntimeException notAnswering) {
        return Optional.empty();
      }
    }

    void kill() throws InterruptedException {
      stopped = true;
      process.kill();
    }

    /** SIGTERM, as {@code bin/jobmanager.sh stop} sends it; does not wait for the exit. */
    void terminate() {
      stopped = true;
      process.terminate();
    }

    void pause() throws IOException, InterruptedException {
      paused = true;
      process.pause();
    }

    void resume() throws IOException, InterruptedException {
      process.resume();
      paused = false;
    }

    @Override
    public String toString() {
      return name() + "@" + id();
    }
  }

  String clusterId() {
    return clusterId;
  }

  /** The znode all of this cluster's HA data lives under. */
  String clusterPath() {
    return "/baton/" + clusterId;
  }

  ZooKeeperEnsemble zooKeeper() {
    return zooKeeper;
  }

  Path logDir() {
    return logDir;
  }

  /**
   * The latch node of the leader published now: the latch participant owned by the ZooKeeper
   * session that owns {@code leader/info}.
   *
   * @throws AssertionError when no published leader holds a latch node
   */
  String publishedLeaderLatchNode() throws Exception {
    long owner = zooKeeper.ephemeralOwner(clusterPath() + "/leader/info");
    String latch = clusterPath() + "/leader/latch";
    for (String node : zooKeeper.tree(latch).keySet()) {
      if (!node.equals(latch) && owner != 0 && zooKeeper.ephemeralOwner(node) == owner) {
        return node;
      }
    }
    throw new AssertionError(
        "no latch node of the published leader's session 0x" + Long.toHexString(owner));
  }

  /** Every JobManager started so far, in start order (dead ones too). */
  List<JobManagerProcess> jobManagers() {
    return List.copyOf(jobManagers);
  }

  /**
   * The JobManagers whose process runs and is not paused, including one that is shutting down after
   * SIGTERM: it may still answer, and what it answers counts.
   */
  List<JobManagerProcess> runningJobManagers() {
    return jobManagers.stream().filter(jm -> !jm.paused && jm.process().isAlive()).toList();
  }

  List<JobManagerProcess> liveJobManagers() {
    return jobManagers.stream().filter(JobManagerProcess::isLive).toList();
  }

  List<JvmProcess> taskManagers() {
    return List.copyOf(taskManagers);
  }

  /** The configuration every process of this cluster starts with. */
  Configuration configuration(String processName) {
    Configuration config =
        ClusterConfigs.jobManager(workDir)
            .set(CoreOptions.TMP_DIRS, workDir.resolve(processName + "-tmp").toString())
            .setString("high-availability.type", "zookeeper")
            .setString("high-availability.zookeeper.quorum", zooKeeper.connectString())
            .setString("high-availability.cluster-id", clusterId)
            .setString(
                "high-availability.storageDir", workDir.resolve("ha-storage").toUri().toString())
            .setString(
                "high-availability.zookeeper.client.session-timeout",
                sessionTimeout.toMillis() + " ms")
            .setString("state.checkpoints.dir", workDir.resolve("checkpoints").toUri().toString())
            .setString("restart-strategy.fixed-delay.attempts", "10");
    return settings.apply(config);
  }

  /** Starts a JobManager JVM on a free REST port and an ephemeral RPC port. */
  JobManagerProcess startJobManager(String name) throws IOException {
    return startJobManager(name, freePort());
  }

  /**
   * Starts a stopped (killed or terminated) JobManager again as an operator restarts a line of
   * {@code conf/masters}: same name (its log goes on in the same file) and same REST port, so the
   * same contender id.
   */
  JobManagerProcess restartJobManager(JobManagerProcess stopped) throws IOException {
    if (stopped.process().isAlive()) {
      throw new IllegalStateException(stopped + " still runs; stop it before restarting it");
    }
    return startJobManager(stopped.name(), stopped.restPort);
  }

  /** Starts a JobManager JVM on REST port {@code restPort} and an ephemeral RPC port. */
  JobManagerProcess startJobManager(String name, int restPort) throws IOException {
    return startJobManager(name, restPort, UnaryOperator.identity());
  }

  /**
   * Starts a JobManager JVM whose settings differ from the cluster's by {@code override} (wrong
   * credentials, say), on a free REST port.
   */
  JobManagerProcess startJobManager(String name, UnaryOperator<Configuration> override)
      throws IOException {
    return startJobManager(name, freePort(), override);
  }

  /**
   * Starts a JobManager JVM from {@code mainClass}, a test's variant of the entrypoint that takes
   * {@code leadingArgs} before the entrypoint's own, on a free REST port.
   */
  JobManagerProcess startJobManager(String name, String mainClass, List<String> leadingArgs)
      throws IOException {
    return startJobManager(name, freePort(), UnaryOperator.identity(), mainClass, leadingArgs);
  }

  private JobManagerProcess startJobManager(
      String name, int restPort, UnaryOperator<Configuration> override) throws IOException {
    return startJobManager(
        name, restPort, override, "io.baton.coordinator.JobManagerEntrypoint", List.of());
  }

  private JobManagerProcess startJobManager(
      String name,
      int restPort,
      UnaryOperator<Configuration> override,
      String mainClass,
      List<String> leadingArgs)
      throws IOException {
    Configuration config = override.apply(configuration(name).set(RestOptions.PORT, restPort));
    List<String> args = new ArrayList<>(leadingArgs);
    args.addAll(withEmptyConfigDir(config));
    List<String> jvm = new ArrayList<>(JOB_MANAGER_JVM);
    // as bin/jobmanager.sh sets it: the JobManager serves its log at /jobmanager/log
    jvm.add("-Dbaton.log.file=" + logDir.resolve(name + ".log").toAbsolutePath());
    JvmProcess process = JvmProcess.start(name, mainClass, logDir, jvm, args);
    // the cluster's own clients: https and the token when its keys say so
    JobManagerProcess jm =
        new JobManagerProcess(
            process, restPort, RestClientSecurity.fromConfiguration(configuration(name)));
    jobManagers.add(jm);
    return jm;
  }

  /** Starts a TaskManager JVM that finds the leader through ZooKeeper. */
  JvmProcess startTaskManager(String name, int slots) throws IOException {
    return startTaskManager(name, slots, UnaryOperator.identity());
  }

  /**
   * Starts a TaskManager JVM whose settings differ from the cluster's by {@code override} (other
   * certificates, say).
   */
  JvmProcess startTaskManager(String name, int slots, UnaryOperator<Configuration> override)
      throws IOException {
    Configuration config =
        override.apply(
            configuration(name)
                .set(TaskManagerOptions.HOST, "127.0.0.1")
                .set(TaskManagerOptions.BIND_HOST, "127.0.0.1")
                .set(TaskManagerOptions.RPC_PORT, 0)
                .set(TaskManagerOptions.NUM_TASK_SLOTS, slots));
    List<String> jvm = new ArrayList<>(TASK_MANAGER_JVM);
    // its log file is the one its output goes to, as bin/taskmanager.sh names one: the
    // dashboard's and REST's log pages read it through the JobManager
    jvm.add("-Dbaton.log.file=" + logDir.resolve(name + ".log"));
    JvmProcess process =
        JvmProcess.start(
            name,
            "io.baton.taskmanager.TaskManagerEntrypoint",
            logDir,
            jvm,
            withEmptyConfigDir(config));
    taskManagers.add(process);
    return process;
  }

  private List<String> withEmptyConfigDir(Configuration config) throws IOException {
    Path confDir = workDir.resolve("empty-conf");
    Files.createDirectories(confDir);
    List<String> args = new ArrayList<>(List.of("--configDir", confDir.toString()));
    args.addAll(ClusterConfigs.asDynamicProperties(config));
    return args;
  }

  /** The live JobManager that says it leads, if exactly one does. */
  /**
   * Starts JobManagers jm1 and jm2 and TaskManagers tm1..tm{@code taskManagers} with 2 slots each,
   * then waits for a leader and for every TaskManager to register with it.
   *
   * @return the leader
   */
  JobManagerProcess startTwoJobManagersAnd(int taskManagers) throws IOException {
    startJobManager("jm1");
    startJobManager("jm2");
    for (int i = 1; i <= taskManagers; i++) {
      startTaskManager("tm" + i, 2);
    }
    JobManagerProcess leader = awaitLeader(Duration.ofSeconds(90));
    awaitTaskManagers(taskManagers, Duration.ofSeconds(60));
    return leader;
  }

  Optional<JobManagerProcess> currentLeader() {
    List<JobManagerProcess> leaders =
        liveJobManagers().stream()
            .filter(jm -> jm.ha().map(HaStatus::leader).orElse(false))
            .toList();
    return leaders.size() == 1 ? Optional.of(leaders.get(0)) : Optional.empty();
  }

  /** Waits until exactly one live JobManager says it leads, and returns it. */
  JobManagerProcess awaitLeader(Duration deadline) {
    return await("a leader among " + liveJobManagers())
        .atMost(deadline)
        .pollInterval(Duration.ofMillis(50))
        .until(this::currentLeader, Optional::isPresent)
        .orElseThrow();
  }

  /** Waits until {@code leader} lists every live JobManager among the contenders. */
  void awaitAllContend(JobManagerProcess leader, Duration deadline) {
    Awaits.until(
        "every live JobManager contends",
        deadline,
        () ->
            leader
                .ha()
                .orElseThrow()
                .contenders()
                .containsAll(liveJobManagers().stream().map(JobManagerProcess::id).toList()));
  }

  /** Waits for a leader whose fencing token is not {@code previousToken}. */
  JobManagerProcess awaitNewLeader(String previousToken, Duration deadline) {
    AtomicReference<JobManagerProcess> found = new AtomicReference<>();
    Awaits.until(
        "a leader other than the one with token " + previousToken,
        deadline,
        () -> {
          Optional<JobManagerProcess> leader = currentLeader();
          Optional<String> token =
              leader.flatMap(JobManagerProcess::ha).map(HaStatus::leaderTokenDigest);
          if (token.isPresent() && !token.get().equals(previousToken)) {
            found.set(leader.get());
            return true;
          }
          return false;
        });
    return found.get();
  }

  /** Waits until the leader counts {@code count} registered TaskManagers. */
  void awaitTaskManagers(int count, Duration deadline) {
    Awaits.until(
        count + " TaskManagers registered with the leader",
        deadline,
        () ->
            currentLeader()
                .map(
                    jm ->
                        jm.rest().getOk("/overview").get("taskmanagers").asInt() >= count
                            && jm.rest().getOk("/overview").get("slots-total").asInt() > 0)
                .orElse(false));
  }

  /** {@code GET /jobs/{id}} on whichever JobManager leads now. */
  JsonNode job(String jobId) {
    JobManagerProcess leader =
        currentLeader().orElseThrow(() -> new AssertionError("no leader to ask for " + jobId));
    return leader.rest().getOk("/jobs/" + jobId);
  }

  /** {@code GET /jobs/{id}/checkpoints} on whichever JobManager leads now. */
  JsonNode checkpoints(String jobId) {
    JobManagerProcess leader =
        currentLeader().orElseThrow(() -> new AssertionError("no leader to ask for " + jobId));
    return leader.rest().getOk("/jobs/" + jobId + "/checkpoints");
  }

  /**
   * Waits until the leader of the moment reports the job in {@code state}; fails fast when it
   * reports another terminal state.
   */
  void awaitJobState(String jobId, String state, Duration deadline) {
    await("job " + jobId + " " + state + " on the leader")
        .atMost(deadline)
        .pollInterval(Duration.ofMillis(100))
        // a leader too busy to answer within the poll timeout is asked again, not a failure
        .ignoreExceptionsInstanceOf(UncheckedIOException.class)
        .until(
            () -> {
              Optional<JobManagerProcess> leader = currentLeader();
              if (leader.isEmpty()) {
                return false;
              }
              RestApi.Response r = leader.get().rest().get("/jobs/" + jobId, POLL_TIMEOUT);
              if (r.status() != 200 || r.body() == null || !r.body().has("state")) {
                return false;
              }
              String now = r.body().get("state").asText();
              if (!now.equals(state)
                  && (now.equals("FAILED") || now.equals("CANCELED") || now.equals("FINISHED"))) {
                throw new AssertionError(
                    "job " + jobId + " ended " + now + " instead of " + state + ": " + r.text());
              }
              return now.equals(state);
            });
  }

  /**
   * The usual opening of a scenario: submits {@code ledger} through {@code jobManager} at {@code
   * parallelism}, then waits (a minute each) until the job is RUNNING and a checkpoint with an id
   * above {@code checkpointAfter} completed. Returns the job id.
   */
  String submitAndAwaitCheckpoint(
      LedgerJob ledger, JobManagerProcess jobManager, int parallelism, long checkpointAfter)
      throws IOException {
    String jobId = ledger.submit(jobManager.rest(), parallelism);
    awaitJobState(jobId, "RUNNING", Duration.ofSeconds(60));
    awaitCheckpointAfter(jobId, checkpointAfter, Duration.ofSeconds(60));
    return jobId;
  }

  /** Waits until the latest completed checkpoint the leader reports has an id above {@code id}. */
  long awaitCheckpointAfter(String jobId, long id, Duration deadline) {
    long[] latest = {-1};
    Awaits.until(
        "a checkpoint of " + jobId + " completed after " + id,
        deadline,
        () -> {
          latest[0] = latestCompletedCheckpoint(checkpoints(jobId));
          return latest[0] > id;
        });
    return latest[0];
  }

  /** The id of the latest completed checkpoint in a {@code /checkpoints} answer, or -1. */
  static long latestCompletedCheckpoint(JsonNode checkpoints) {
    JsonNode completed = checkpoints.get("latest").get("completed");
    return completed == null || completed.isNull() ? -1 : completed.get("id").asLong();
  }

  /** Every process's log, for an assertion's message. */
  String logsTail(int charsPerProcess) {
    return ClusterProcesses.logsTail(processes(), "", charsPerProcess);
  }

  private List<JvmProcess> processes() {
    List<JvmProcess> all = new ArrayList<>();
    jobManagers.forEach(jm -> all.add(jm.process()));
    all.addAll(taskManagers);
    return all;
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0)) {
      return probe.getLocalPort();
    }
  }

  /** Kills every process at once (SIGKILL works on paused ones too): no graceful goodbyes. */
  @Override
  public void close() {
    ClusterProcesses.killAll(processes());
  }
}
