package io.baton.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * An Apache Flink 1.20.1 session cluster whose JobManagers ({@code
 * StandaloneSessionClusterEntrypoint}) and TaskManagers ({@code TaskManagerRunner}) each run in a
 * JVM of their own with {@link FlinkClasspath#classpath()}, as flink-dist's {@code jobmanager.sh}
 * and {@code taskmanager.sh} would start them, but with no Flink distribution: the configuration is
 * written to {@code <workDir>/flink-conf/config.yaml} (Flink 1.20's standard YAML file; {@code
 * --configDir} points every process at it) and per-process settings are passed as {@code
 * -Dkey=value} dynamic properties. Tests talk to it only over its REST API.
 *
 * <pre>{@code
 * try (FlinkSessionCluster flink =
 *     FlinkSessionCluster.builder(workDir).taskManagers(2).slotsPerTaskManager(4).start()) {
 *   String jobId = flink.submit(FlinkClasspath.benchmarkJar(), "my.Main", 4, List.of("--x", "1"));
 *   flink.awaitAllRunning(jobId, Duration.ofMinutes(1));
 * }
 * }</pre>
 *
 * <p>By default the cluster is non-HA, on loopback, on free ports, with no managed memory and
 * memory sizes that fit a small machine (see {@link Builder#start}). For ZooKeeper HA, pass Flink's
 * {@code high-availability.*} keys with {@link Builder#setting} and start more JobManagers with
 * {@link #startJobManager}, each with its own REST port.
 */
final class FlinkSessionCluster implements AutoCloseable {
  /**
   * The {@code --add-opens}/{@code --add-exports} flink-dist puts into {@code env.java.opts.all}
   * for Java 17, so Flink's reflection on JDK classes works as in a real installation.
   */
  static final List<String> JAVA_17_OPTIONS =
      List.of(
          "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
          "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
          "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.net=ALL-UNNAMED",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens=java.base/java.text=ALL-UNNAMED",
          "--add-opens=java.base/java.time=ALL-UNNAMED",
          "--add-opens=java.base/java.util=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

  static final String JOB_MANAGER_MAIN =
      "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
  static final String TASK_MANAGER_MAIN = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";

  /** The name (and log file name) of the JobManager {@link Builder#start} starts. */
  static final String FIRST_JOB_MANAGER = "flink-jobmanager";

  private static final Duration START_DEADLINE = Duration.ofMinutes(2);

  private final Path confDir;
  private final Path logDir;
  private final List<String> extraJvmOptions;
  private final ProcessSpec jobManagerSpec;
  private final ProcessSpec taskManagerSpec;
  private final int slotsPerTaskManager;
  private final List<JvmProcess> processes = new ArrayList<>();
  private final Map<String, Integer> restPorts = new LinkedHashMap<>();
  private RestApi rest;

  private FlinkSessionCluster(
      Builder builder, Path confDir, ProcessSpec jobManagerSpec, ProcessSpec taskManagerSpec) {
    this.confDir = confDir;
    this.logDir = builder.workDir.resolve("flink-logs");
    this.extraJvmOptions = builder.jvmOptions;
    this.jobManagerSpec = jobManagerSpec;
    this.taskManagerSpec = taskManagerSpec;
    this.slotsPerTaskManager = builder.slots;
  }

  /**
   * The JVM options and dynamic properties flink-dist's scripts would start a process type with, as
   * Flink's {@code BashJavaUtils} derives them from config.yaml's memory settings (e.g. {@code
   * -Xmx1073741824 -Xms1073741824 -XX:MaxDirectMemorySize=...} and every {@code
   * taskmanager.memory.*} key resolved; TaskManagerRunner refuses to start without them).
   */
  record ProcessSpec(List<String> jvmOptions, List<String> dynamicProperties) {}

  /** A cluster to be configured and started in {@code workDir}. */
  static Builder builder(Path workDir) {
    return new Builder(workDir);
  }

  /** The settings of a cluster before it starts. */
  static final class Builder {
    private final Path workDir;
    private final Map<String, String> settings = new LinkedHashMap<>();
    private int taskManagers = 1;
    private int slots = 1;
    private List<String> jvmOptions = List.of();

    private Builder(Path workDir) {
      this.workDir = workDir;
    }

    /** TaskManagers started by {@link #start} (more with {@link #startTaskManager}). */
    Builder taskManagers(int count) {
      this.taskManagers = count;
      return this;
    }

    /** {@code taskmanager.numberOfTaskSlots}. */
    Builder slotsPerTaskManager(int slots) {
      this.slots = slots;
      return this;
    }

    /** A key of Flink's configuration, written to config.yaml; overrides the defaults. */
    Builder setting(String key, String value) {
      settings.put(key, value);
      return this;
    }

    /**
     * JVM options added to every JVM of the cluster after the memory options Flink derives (e.g. a
     * GC choice); {@link #JAVA_17_OPTIONS} are always added.
     */
    Builder jvmOptions(List<String> options) {
      this.jvmOptions = List.copyOf(options);
      return this;
    }

    /**
     * Writes config.yaml and log4j.properties, starts one JobManager and the TaskManagers, and
     * waits until the JobManager's REST API lists all TaskManagers.
     *
     * <p>Defaults, each overridable with {@link #setting}: loopback addresses, free RPC and REST
     * ports, {@code high-availability.type: none}, JobManager heap 1g, TaskManager task heap 896m,
     * managed memory 0, network memory 128m, {@code taskmanager.load-balance.mode: SLOTS} (spread a
     * job's slots over the TaskManagers, as Baton does), temporary and upload directories in the
     * work directory.
     */
    FlinkSessionCluster start() throws Exception {
      Path confDir = workDir.resolve("flink-conf");
      Files.createDirectories(confDir);
      Map<String, String> config = new LinkedHashMap<>();
      config.put("jobmanager.rpc.address", "127.0.0.1");
      config.put("jobmanager.rpc.port", Integer.toString(freePort()));
      config.put("jobmanager.bind-host", "127.0.0.1");
      config.put("rest.address", "127.0.0.1");
      config.put("rest.bind-address", "127.0.0.1");
      config.put("rest.port", Integer.toString(freePort()));
      config.put("taskmanager.host", "127.0.0.1");
      config.put("taskmanager.bind-host", "127.0.0.1");
      config.put("taskmanager.numberOfTaskSlots", Integer.toString(slots));
      config.put("high-availability.type", "none");
      config.put("jobmanager.memory.heap.size", "1g");
      config.put("taskmanager.memory.task.heap.size", "896m");
      config.put("taskmanager.memory.managed.size", "0m");
      config.put("taskmanager.memory.network.min", "128m");
      config.put("taskmanager.memory.network.max", "128m");
      config.put("taskmanager.load-balance.mode", "SLOTS");
      // the REST API caches a job's execution graph for web.refresh-interval (default 3 s), which
      // would hide state changes from a poll for that long
      config.put("web.refresh-interval", "10");
      config.put("io.tmp.dirs", workDir.resolve("flink-tmp").toString());
      config.put("web.tmpdir", workDir.resolve("flink-web").toString());
      config.put("web.upload.dir", workDir.resolve("flink-web-upload").toString());
      config.putAll(settings);
      Files.createDirectories(workDir.resolve("flink-tmp"));
      Files.createDirectories(workDir.resolve("flink-web-upload"));
      FlinkConfigYaml.write(confDir.resolve("config.yaml"), config);
      Files.writeString(
          confDir.resolve("log4j.properties"),
          String.join(
              "\n",
              "rootLogger.level = WARN",
              "rootLogger.appenderRef.console.ref = Console",
              "appender.console.name = Console",
              "appender.console.type = CONSOLE",
              "appender.console.layout.type = PatternLayout",
              "appender.console.layout.pattern = %d{HH:mm:ss.SSS} %-5p %c{1} - %m%n",
              ""));

      FlinkSessionCluster cluster =
          new FlinkSessionCluster(
              this,
              confDir,
              processSpec(confDir, "GET_JM_RESOURCE_PARAMS"),
              processSpec(confDir, "GET_TM_RESOURCE_PARAMS"));
      try {
        int restPort = Integer.parseInt(config.get("rest.port"));
        cluster.startJobManager(FIRST_JOB_MANAGER, restPort, Map.of());
        for (int i = 0; i < taskManagers; i++) {
          cluster.startTaskManager("flink-taskmanager-" + i);
        }
        cluster.awaitTaskManagers(taskManagers, START_DEADLINE);
        return cluster;
      } catch (Exception | AssertionError e) {
        cluster.close();
        throw e;
      }
    }
  }

  /**
   * Starts a JobManager JVM named {@code name} with its REST API on {@code restPort} and the given
   * extra dynamic properties (e.g. another {@code jobmanager.rpc.port} for a second JobManager in
   * HA mode). The first JobManager started is the one {@link #rest()} talks to.
   */
  JvmProcess startJobManager(String name, int restPort, Map<String, String> dynamicProperties)
      throws IOException {
    Map<String, String> properties = new LinkedHashMap<>(dynamicProperties);
    properties.put("rest.port", Integer.toString(restPort));
    JvmProcess process = start(name, JOB_MANAGER_MAIN, jobManagerSpec, properties);
    restPorts.put(name, restPort);
    if (rest == null) {
      rest = new RestApi("127.0.0.1", restPort);
    }
    RestApi own = new RestApi("127.0.0.1", restPort);
    awaitOrExplain(
        name + " REST API up on port " + restPort,
        process,
        () -> own.get("/overview", Duration.ofSeconds(5)).status() == 200);
    return process;
  }

  /** Starts a TaskManager JVM named {@code name}; it registers with the configured JobManager. */
  JvmProcess startTaskManager(String name) throws IOException {
    return start(name, TASK_MANAGER_MAIN, taskManagerSpec, Map.of());
  }

  private JvmProcess start(
      String name, String mainClass, ProcessSpec spec, Map<String, String> properties)
      throws IOException {
    List<String> jvm = new ArrayList<>(spec.jvmOptions());
    jvm.addAll(extraJvmOptions);
    jvm.addAll(JAVA_17_OPTIONS);
    jvm.add("-Dlog4j.configurationFile=" + confDir.resolve("log4j.properties").toUri());
    jvm.add("-Dlog.file=" + logDir.resolve(name + ".log"));
    jvm.add("-Xlog:gc:file=" + gcLog(name));
    List<String> args = new ArrayList<>(List.of("--configDir", confDir.toString()));
    args.addAll(spec.dynamicProperties());
    properties.forEach((k, v) -> args.add("-D" + k + "=" + v));
    JvmProcess process =
        JvmProcess.startWithClasspath(
            name, mainClass, FlinkClasspath.classpath(), logDir, jvm, args);
    processes.add(process);
    return process;
  }

  /** The {@code -Xlog:gc} file of the process named {@code name}. */
  Path gcLog(String name) {
    return logDir.resolve(name + "-gc.log");
  }

  /** The REST API of the first JobManager. */
  RestApi rest() {
    return rest;
  }

  /** The REST API of the JobManager started as {@code name}. */
  RestApi rest(String jobManagerName) {
    Integer port = restPorts.get(jobManagerName);
    if (port == null) {
      throw new IllegalArgumentException(
          "no Flink JobManager named " + jobManagerName + "; started: " + restPorts.keySet());
    }
    return new RestApi("127.0.0.1", port);
  }

  /** Every JVM this cluster started, in start order. */
  List<JvmProcess> processes() {
    return List.copyOf(processes);
  }

  /** How the JobManager JVMs are started (memory options as Flink derives them). */
  ProcessSpec jobManagerSpec() {
    return jobManagerSpec;
  }

  /** How the TaskManager JVMs are started (memory options as Flink derives them). */
  ProcessSpec taskManagerSpec() {
    return taskManagerSpec;
  }

  int slotsPerTaskManager() {
    return slotsPerTaskManager;
  }

  /** Waits until the JobManager lists {@code count} TaskManagers. */
  void awaitTaskManagers(int count, Duration deadline) {
    awaitOrExplain(
        count + " Flink TaskManagers registered",
        null,
        deadline,
        () -> rest.getOk("/overview").get("taskmanagers").asInt() >= count);
  }

  /**
   * Uploads {@code jar} ({@code POST /jars/upload}) and runs {@code entryClass} from it ({@code
   * POST /jars/<id>/run}); returns the job id. The job's main() runs on the JobManager.
   */
  String submit(Path jar, String entryClass, int parallelism, List<String> programArgs)
      throws IOException {
    return rest.submitToFlink(jar, entryClass, parallelism, programArgs);
  }

  /**
   * Polls {@code GET /jobs/<id>} every 10 ms until every vertex reports all its subtasks RUNNING;
   * returns when that was first seen.
   */
  Instant awaitAllRunning(String jobId, Duration deadline) {
    return pollUntilAllRunning(rest, "Flink job " + jobId, jobId, deadline).at();
  }

  /** A {@code GET /jobs/<id>} answer that showed every subtask RUNNING, and when it came. */
  record AllRunning(Instant at, JsonNode job, String text) {}

  /**
   * Polls {@code GET /jobs/<id>} on {@code rest} every 10 ms until {@link #allRunning} (the same
   * poll for Flink and Baton: Baton's REST API has Flink's shape); fails at once when the job
   * ended, or at the deadline. {@code label} names the job in a failure message.
   */
  static AllRunning pollUntilAllRunning(
      RestApi rest, String label, String jobId, Duration deadline) {
    long stop = System.nanoTime() + deadline.toNanos();
    String last = "no answer";
    while (System.nanoTime() < stop) {
      RestApi.Response r;
      try {
        r = rest.get("/jobs/" + jobId, Duration.ofSeconds(10));
      } catch (java.io.UncheckedIOException slow) {
        // a busy JobManager may answer one poll late; the deadline decides, not one request
        last = "no answer: " + slow.getMessage();
        continue;
      }
      if (r.status() == 200 && r.body() != null) {
        if (allRunning(r.body())) {
          return new AllRunning(Instant.now(), r.body(), r.text());
        }
        last = r.body().path("state").asText();
        if (last.equals("FAILED") || last.equals("CANCELED") || last.equals("FINISHED")) {
          throw new AssertionError(label + " ended " + last + ": " + rootException(rest, jobId));
        }
      }
      LockSupport.parkNanos(10_000_000L);
    }
    throw new AssertionError(
        label + " not all RUNNING within " + deadline + " (last state " + last + ")");
  }

  /**
   * The job's root exception in one line: its innermost cause where the trace names one (both sides
   * answer Flink's exceptions shape). The whole trace goes to stderr, for the benchmark's log.
   */
  private static String rootException(RestApi rest, String jobId) {
    RestApi.Response r = rest.get("/jobs/" + jobId + "/exceptions", Duration.ofSeconds(10));
    String root = r.body() == null ? "" : r.body().path("root-exception").asText("");
    if (root.isEmpty()) {
      return "no root exception (" + r.status() + ")";
    }
    System.err.println("root exception of job " + jobId + ":\n" + root);
    List<String> causes =
        root.lines().map(String::strip).filter(l -> l.startsWith("Caused by: ")).toList();
    return causes.isEmpty()
        ? root.lines().findFirst().orElseThrow()
        : causes.get(causes.size() - 1).substring("Caused by: ".length());
  }

  /** Whether a {@code GET /jobs/<id>} body (Flink's or Baton's) shows every subtask RUNNING. */
  static boolean allRunning(JsonNode job) {
    JsonNode vertices = job.path("vertices");
    if (!vertices.isArray() || vertices.isEmpty()) {
      return false;
    }
    for (JsonNode v : vertices) {
      if (v.path("tasks").path("RUNNING").asInt(-1) != v.path("parallelism").asInt(-2)) {
        return false;
      }
    }
    return true;
  }

  /** A condition polled while waiting; an exception counts as "not yet". */
  @FunctionalInterface
  interface Condition {
    boolean holds() throws Exception;
  }

  private void awaitOrExplain(String what, JvmProcess process, Condition condition) {
    awaitOrExplain(what, process, START_DEADLINE, condition);
  }

  private void awaitOrExplain(
      String what, JvmProcess process, Duration deadline, Condition condition) {
    long stop = System.nanoTime() + deadline.toNanos();
    Throwable last = null;
    while (System.nanoTime() < stop) {
      if (process != null && !process.isAlive()) {
        throw new AssertionError(
            "Flink cluster: " + process.name() + " exited before " + what + logTails());
      }
      try {
        if (condition.holds()) {
          return;
        }
      } catch (Exception | AssertionError notYet) {
        last = notYet;
      }
      LockSupport.parkNanos(100_000_000L);
    }
    throw new AssertionError(
        "Flink cluster: no " + what + " within " + deadline + "; logs in " + logDir + logTails(),
        last);
  }

  private String logTails() {
    StringBuilder tails = new StringBuilder();
    for (JvmProcess p : processes) {
      try {
        List<String> lines = p.logText().lines().toList();
        tails.append("\n--- ").append(p.name()).append(" (last lines) ---\n");
        lines
            .subList(Math.max(0, lines.size() - 15), lines.size())
            .forEach(l -> tails.append(l).append('\n'));
      } catch (IOException e) {
        tails.append("\n--- ").append(p.name()).append(": log unreadable: ").append(e);
      }
    }
    return tails.toString();
  }

  @Override
  public void close() throws Exception {
    Exception failure = null;
    // TaskManagers first, so no JobManager sees them vanish as a failure to react to
    List<JvmProcess> reversed = new ArrayList<>(processes);
    java.util.Collections.reverse(reversed);
    for (JvmProcess p : reversed) {
      try {
        p.close();
      } catch (Exception e) {
        failure = e;
      }
    }
    processes.clear();
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * Runs Flink's {@code BashJavaUtils <command> --configDir <confDir>} as flink-dist's {@code
   * config.sh} does and reads its two result lines: JVM options, then dynamic properties.
   */
  private static ProcessSpec processSpec(Path confDir, String command)
      throws IOException, InterruptedException {
    List<String> cmd =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Dlog4j.configurationFile=" + confDir.resolve("log4j.properties").toUri(),
            "-cp",
            FlinkClasspath.classpath(),
            "org.apache.flink.runtime.util.bash.BashJavaUtils",
            command,
            "--configDir",
            confDir.toString());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("Flink's BashJavaUtils " + command + " hangs");
    }
    List<String> results =
        output
            .lines()
            .filter(l -> l.startsWith("BASH_JAVA_UTILS_EXEC_RESULT:"))
            .map(l -> l.substring("BASH_JAVA_UTILS_EXEC_RESULT:".length()).trim())
            .toList();
    if (p.exitValue() != 0 || results.size() < 2) {
      throw new IllegalStateException(
          "Flink's BashJavaUtils "
              + command
              + " rejected "
              + confDir.resolve("config.yaml")
              + ":\n"
              + output);
    }
    List<String> jvm = List.of(results.get(0).split("\\s+"));
    List<String> dynamic = new ArrayList<>();
    String[] tokens = results.get(1).split("\\s+");
    for (int i = 0; i + 1 < tokens.length; i++) {
      if (tokens[i].equals("-D")) {
        dynamic.add("-D" + tokens[++i]);
      }
    }
    return new ProcessSpec(jvm, dynamic);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
