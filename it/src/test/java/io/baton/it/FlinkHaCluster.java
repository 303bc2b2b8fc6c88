package io.baton.it;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * An Apache Flink 1.20 session cluster with ZooKeeper high availability, as Flink's own scripts
 * would run it without {@code flink-dist}: every JobManager a {@code
 * StandaloneSessionClusterEntrypoint} JVM and every TaskManager a {@code TaskManagerRunner} JVM,
 * all on {@link FlinkClasspath#classpath()} (never the test's class path: Flink's Kryo 2 shares
 * package names with Baton's Kryo 5), each with a {@code config.yaml} of its own under the work
 * directory. The cluster lives under its own root znode and cluster id on a {@link
 * ZooKeeperEnsemble} the test may share with a Baton cluster.
 *
 * <p>The test talks to it as an operator does: over REST (plain HTTP and Jackson) and by reading
 * the leader information Flink writes to ZooKeeper, {@code <root>/<cluster-id>/leader/<component>
 * /connection_info} (an ephemeral znode of the leader's session holding the component's address and
 * leader session id, Java-serialized), for the components {@code rest_server}, {@code dispatcher},
 * {@code resource_manager} and one per running job (its JobMaster, {@code job-<job id>}). All
 * components of a JobManager share one Curator leader latch, {@code
 * <root>/<cluster-id>/leader/latch}, and publish the same leader session id. Process logs go to
 * {@code target/ha-logs/<name>/}.
 */
final class FlinkHaCluster implements AutoCloseable {
  /** The root znode of every cluster this class starts (Baton's default root is /baton). */
  static final String ZOOKEEPER_ROOT = "/flink-failover";

  /** The ZooKeeper component name of Flink's dispatcher, which recovers and runs the jobs. */
  static final String DISPATCHER = "dispatcher";

  /** The ZooKeeper component name of Flink's REST endpoint; its address is the REST URL. */
  static final String REST_SERVER = "rest_server";

  /** The ZooKeeper component name of a job's JobMaster. */
  static String jobMaster(String jobId) {
    return "job-" + jobId;
  }

  private static final Duration POLL_TIMEOUT = Duration.ofSeconds(1);
  private static final Random PORTS = new Random();

  private final Path workDir;
  private final Path logDir;
  private final ZooKeeperEnsemble zooKeeper;
  private final String clusterId = "flink-" + UUID.randomUUID().toString().substring(0, 8);
  private final Map<String, String> settings;
  private final List<String> jobManagerJvm;
  private final List<String> taskManagerJvm;
  private final List<JobManager> jobManagers = new CopyOnWriteArrayList<>();
  private final List<JvmProcess> taskManagers = new CopyOnWriteArrayList<>();

  private FlinkHaCluster(
      Path workDir,
      Path logDir,
      ZooKeeperEnsemble zooKeeper,
      Map<String, String> settings,
      List<String> jobManagerJvm,
      List<String> taskManagerJvm) {
    this.workDir = workDir;
    this.logDir = logDir;
    this.zooKeeper = zooKeeper;
    this.settings = settings;
    this.jobManagerJvm = jobManagerJvm;
    this.taskManagerJvm = taskManagerJvm;
  }

  /**
   * A cluster with no process started yet.
   *
   * @param name names the log directory {@code target/ha-logs/<name>} (emptied first)
   * @param settings Flink configuration keys applied last to every process's {@code config.yaml}
   * @param jobManagerJvm the JobManager JVMs' options (heap, GC)
   * @param taskManagerJvm the TaskManager JVMs' options (heap, GC)
   */
  static FlinkHaCluster create(
      String name,
      Path workDir,
      ZooKeeperEnsemble zooKeeper,
      Map<String, String> settings,
      List<String> jobManagerJvm,
      List<String> taskManagerJvm)
      throws IOException {
    Path logDir = ClusterProcesses.emptiedLogDir(name);
    Files.createDirectories(workDir);
    return new FlinkHaCluster(
        workDir, logDir, zooKeeper, Map.copyOf(settings), jobManagerJvm, taskManagerJvm);
  }

  /** One Flink JobManager JVM and its REST endpoint. */
  record JobManager(String name, JvmProcess process, RestApi rest) {
    /** Its REST URL as Flink publishes it for the {@code rest_server} component. */
    String restUrl() {
      return rest.baseUrl();
    }

    @Override
    public String toString() {
      return name + "@" + restUrl();
    }
  }

  /**
   * A component's leader information as Flink wrote it to ZooKeeper.
   *
   * @param modified epoch millis of the znode's last write (ZooKeeper's clock: the test JVM's)
   */
  record LeaderInfo(String address, UUID sessionId, long modified) {}

  String clusterId() {
    return clusterId;
  }

  /** The znode the cluster's HA data lives under. */
  String clusterPath() {
    return ZOOKEEPER_ROOT + "/" + clusterId;
  }

  Path logDir() {
    return logDir;
  }

  List<JobManager> jobManagers() {
    return List.copyOf(jobManagers);
  }

  /** The configuration every process of this cluster starts with, before its own keys. */
  Map<String, String> configuration(String processName) {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("high-availability.type", "zookeeper");
    config.put("high-availability.zookeeper.quorum", zooKeeper.connectString());
    config.put("high-availability.zookeeper.path.root", ZOOKEEPER_ROOT);
    config.put("high-availability.cluster-id", clusterId);
    config.put("high-availability.storageDir", workDir.resolve("ha-storage").toUri().toString());
    config.put("state.checkpoints.dir", workDir.resolve("checkpoints").toUri().toString());
    config.put("jobmanager.rpc.address", "127.0.0.1");
    config.put("jobmanager.bind-host", "127.0.0.1");
    config.put("rest.address", "127.0.0.1");
    config.put("rest.bind-address", "127.0.0.1");
    config.put("taskmanager.host", "127.0.0.1");
    config.put("taskmanager.bind-host", "127.0.0.1");
    // no SASL: the test's ZooKeeper server has none, and Flink would log a failed login
    config.put("zookeeper.sasl.disable", "true");
    config.put("io.tmp.dirs", workDir.resolve(processName + "-tmp").toString());
    config.put("web.tmpdir", workDir.resolve(processName + "-web").toString());
    // the REST handlers cache a job's execution graph this long (default 3 s): a poll must see
    // the job as it is, not as it was
    config.put("web.refresh-interval", "10 ms");
    config.putAll(settings);
    return config;
  }

  /** Starts a JobManager JVM on a free REST port (its RPC port is any free one, as in HA mode). */
  JobManager startJobManager(String name) throws IOException {
    int restPort = freePort();
    Map<String, String> config = configuration(name);
    config.put("rest.port", Integer.toString(restPort));
    config.put("rest.bind-port", Integer.toString(restPort));
    JvmProcess process = start(name, FlinkSessionCluster.JOB_MANAGER_MAIN, jobManagerJvm, config);
    JobManager jm = new JobManager(name, process, new RestApi("127.0.0.1", restPort));
    jobManagers.add(jm);
    return jm;
  }

  /** Starts a TaskManager JVM with {@code slots} slots; it finds the leader through ZooKeeper. */
  JvmProcess startTaskManager(String name, int slots) throws IOException {
    Map<String, String> config = configuration(name);
    config.put("taskmanager.numberOfTaskSlots", Integer.toString(slots));
    JvmProcess process = start(name, FlinkSessionCluster.TASK_MANAGER_MAIN, taskManagerJvm, config);
    taskManagers.add(process);
    return process;
  }

  private JvmProcess start(
      String name, String mainClass, List<String> jvm, Map<String, String> config)
      throws IOException {
    Path confDir = workDir.resolve(name + "-conf");
    Files.createDirectories(confDir);
    FlinkConfigYaml.write(confDir.resolve("config.yaml"), config);
    List<String> options = new ArrayList<>(jvm);
    options.addAll(FlinkSessionCluster.JAVA_17_OPTIONS);
    options.add("-Dlog4j.configurationFile=" + loggingConfiguration());
    return JvmProcess.startWithClasspath(
        name,
        mainClass,
        FlinkClasspath.classpath(),
        logDir,
        options,
        List.of("--configDir", confDir.toString()));
  }

  private static String loggingConfiguration() {
    URL url = FlinkHaCluster.class.getResource("/flink-failover-log4j2.properties");
    if (url == null) {
      throw new IllegalStateException("flink-failover-log4j2.properties is not on the class path");
    }
    try {
      return Path.of(url.toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate " + url, e);
    }
  }

  /** The leader information of {@code component} in ZooKeeper, if a leader published one. */
  Optional<LeaderInfo> leaderInfo(String component) throws Exception {
    String path = clusterPath() + "/leader/" + component + "/connection_info";
    Stat stat = new Stat();
    byte[] data;
    try {
      data = zooKeeper.client().getData().storingStatIn(stat).forPath(path);
    } catch (KeeperException.NoNodeException none) {
      return Optional.empty();
    }
    if (data == null || data.length == 0) {
      return Optional.empty();
    }
    // Flink's ZooKeeperUtils writes writeUTF(address) then writeObject(UUID session id)
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(data))) {
      String address = in.readUTF();
      UUID session = (UUID) in.readObject();
      return Optional.of(new LeaderInfo(address, session, stat.getMtime()));
    }
  }

  /** How many JobManagers take part in the leader election (children of the latch znode). */
  int contenders() throws Exception {
    CuratorFramework client = zooKeeper.client();
    try {
      return client.getChildren().forPath(clusterPath() + "/leader/latch").size();
    } catch (KeeperException.NoNodeException none) {
      return 0;
    }
  }

  /** The JobManager whose REST URL ZooKeeper names as the leading REST endpoint. */
  Optional<JobManager> currentLeader() throws Exception {
    Optional<LeaderInfo> rest = leaderInfo(REST_SERVER);
    if (rest.isEmpty()) {
      return Optional.empty();
    }
    return jobManagerAt(rest.get().address()).filter(jm -> jm.process().isAlive());
  }

  /** The JobManager started with this REST URL. */
  Optional<JobManager> jobManagerAt(String restUrl) {
    return jobManagers.stream().filter(jm -> jm.restUrl().equals(restUrl)).findFirst();
  }

  /** Waits until ZooKeeper names a live JobManager as leader and its REST answers. */
  JobManager awaitLeader(Duration deadline) {
    return await("a Flink leader among " + jobManagers)
        .atMost(deadline)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(
            () ->
                currentLeader()
                    .filter(jm -> jm.rest().get("/overview", POLL_TIMEOUT).status() == 200),
            Optional::isPresent)
        .orElseThrow();
  }

  /** Waits until the leader counts {@code count} TaskManagers with at least one slot. */
  void awaitTaskManagers(int count, Duration deadline) {
    Awaits.until(
        count + " Flink TaskManagers registered with the leader",
        deadline,
        () -> {
          JsonNode overview = currentLeader().orElseThrow().rest().getOk("/overview");
          return overview.get("taskmanagers").asInt() >= count
              && overview.get("slots-total").asInt() > 0;
        });
  }

  /** Waits until {@code count} JobManagers take part in the leader election. */
  void awaitContenders(int count, Duration deadline) {
    Awaits.until(
        count + " Flink JobManagers in the leader election", deadline, () -> contenders() >= count);
  }

  /**
   * Uploads {@code jar} to {@code jobManager} and runs {@code entryClass} in it, as Flink's web UI
   * does ({@code POST /jars/upload}, {@code POST /jars/<jar id>/run}).
   *
   * @return the job id
   */
  String submit(
      JobManager jobManager, Path jar, String entryClass, int parallelism, String... programArgs)
      throws IOException {
    return jobManager.rest().submitToFlink(jar, entryClass, parallelism, List.of(programArgs));
  }

  /** {@code GET /jobs/{id}} on whichever JobManager leads now. */
  JsonNode job(String jobId) throws Exception {
    JobManager leader =
        currentLeader().orElseThrow(() -> new IllegalStateException("no Flink leader known"));
    return leader.rest().getOk("/jobs/" + jobId);
  }

  /** The id of the latest completed checkpoint the leader reports for the job, or -1. */
  long latestCompletedCheckpoint(String jobId) throws Exception {
    JobManager leader =
        currentLeader().orElseThrow(() -> new IllegalStateException("no Flink leader known"));
    JsonNode completed =
        leader.rest().getOk("/jobs/" + jobId + "/checkpoints").path("latest").path("completed");
    return completed.isMissingNode() || completed.isNull() ? -1 : completed.get("id").asLong();
  }

  /**
   * Runs {@code io.baton.flinkbench.FlinkLedger --verify} in a JVM of its own on the Flink class
   * path and returns its one-line verdict ({@code lost=.. duplicated=.. wrong_final_balances=..})
   * with its exit code.
   */
  static LedgerVerifier.Result verifyLedger(Path output, long events, int keys)
      throws IOException, InterruptedException {
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx512m",
            "-cp",
            FlinkClasspath.classpath(),
            "io.baton.flinkbench.FlinkLedger",
            "--verify",
            output.toString(),
            "--events",
            Long.toString(events),
            "--keys",
            Integer.toString(keys));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String printed = new String(p.getInputStream().readAllBytes()).trim();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("FlinkLedger --verify did not finish within 120 s");
    }
    // the verdict is the last line; log lines may come before it
    String[] lines = printed.split("\n");
    return new LedgerVerifier.Result(p.exitValue(), lines[lines.length - 1].trim());
  }

  /** The end of every process's log, for a failure message. */
  String logsTail(int charsPerProcess) {
    return ClusterProcesses.logsTail(processes(), "flink ", charsPerProcess);
  }

  private List<JvmProcess> processes() {
    List<JvmProcess> all = new ArrayList<>();
    jobManagers.forEach(jm -> all.add(jm.process()));
    all.addAll(taskManagers);
    return all;
  }

  /**
   * A free port below Linux's ephemeral range (32768+): a Flink JobManager binds its REST port only
   * some seconds after it was chosen, and in the meantime an ephemeral port from the same range
   * (Flink's own RPC and blob ports are ephemeral) could take it.
   */
  private static int freePort() throws IOException {
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = 20_000 + PORTS.nextInt(12_000);
      try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        return probe.getLocalPort();
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IOException("no free port in 20000-31999 after 200 attempts");
  }

  /** Kills every process (SIGKILL): nothing of the cluster outlives the benchmark. */
  @Override
  public void close() {
    ClusterProcesses.killAll(processes());
  }
}
