package io.baton.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Apache Flink 1.20.1's side of {@link FlinkHeartbeatsBenchmark}: a
 * StandaloneSessionClusterEntrypoint JVM (non-HA) and one JVM of real TaskExecutors ({@code
 * io.baton.flinkbench.ManyTaskExecutors}), both started with Flink's class path only.
 */
final class FlinkHeartbeatsSide implements HeartbeatsSide {
  /**
   * Network memory of each TaskExecutor when it runs tasks: five slots of the idle job need about a
   * hundred 4 KiB buffers (without tasks, 128 KiB, as a TaskExecutor of ManyTaskExecutors has).
   */
  static final String NETWORK_MEMORY_FOR_TASKS = "512kb";

  /**
   * What Flink's own config.yaml passes to every Flink JVM on Java 17: {@link
   * FlinkSessionCluster#JAVA_17_OPTIONS} after {@code -XX:+IgnoreUnrecognizedVMOptions}.
   */
  private static final List<String> JAVA_17_OPTIONS =
      Stream.concat(
              Stream.of("-XX:+IgnoreUnrecognizedVMOptions"),
              FlinkSessionCluster.JAVA_17_OPTIONS.stream())
          .toList();

  /**
   * Threads of one TaskExecutor in ManyTaskExecutors' JVM: its main scheduler, I/O manager reader
   * and writer, Netty shuffle server and one more (4.4 counted with 100 of them).
   */
  static final int THREADS_PER_TASK_EXECUTOR = 5;

  static final String JOB_DESCRIPTION =
      "io.baton.flinkbench.IdleJob (SchedulingJob's shape; its sources never emit, so each"
          + " subtask is a real task thread that waits; buffer timeout and periodic watermarks off,"
          + " so no output flusher or source timer threads; "
          + NETWORK_MEMORY_FOR_TASKS
          + " of network memory per TaskExecutor)";

  private final Duration interval;
  private final Duration timeout;
  private final String classpath;

  FlinkHeartbeatsSide(Duration interval, Duration timeout) {
    this.interval = interval;
    this.timeout = timeout;
    this.classpath = FlinkClasspath.classpath();
  }

  @Override
  public String name() {
    return "Flink";
  }

  @Override
  public JobManager startJobManager(String scenario, Path dir, List<String> jvmOptions, Path logDir)
      throws Exception {
    int rpcPort = freePort();
    int restPort = freePort();
    Path confDir = Files.createDirectories(dir.resolve("conf"));
    Files.writeString(
        confDir.resolve("config.yaml"),
        String.join(
            "\n",
            "jobmanager.rpc.address: 127.0.0.1",
            "jobmanager.bind-host: 127.0.0.1",
            "jobmanager.rpc.port: " + rpcPort,
            "rest.address: 127.0.0.1",
            "rest.bind-address: 127.0.0.1",
            "rest.port: " + restPort,
            "taskmanager.host: 127.0.0.1",
            "taskmanager.bind-host: 127.0.0.1",
            "high-availability.type: NONE",
            "heartbeat.interval: " + interval.toMillis() + " ms",
            "heartbeat.timeout: " + timeout.toMillis() + " ms",
            "io.tmp.dirs: " + Files.createDirectories(dir.resolve("tmp")),
            "web.tmpdir: " + Files.createDirectories(dir.resolve("web")),
            ""),
        StandardCharsets.UTF_8);
    Path log4j = confDir.resolve("log4j2.properties");
    Files.writeString(
        log4j,
        String.join(
            "\n",
            "status = warn",
            "appender.console.type = Console",
            "appender.console.name = console",
            "appender.console.target = SYSTEM_ERR",
            "appender.console.layout.type = PatternLayout",
            "appender.console.layout.pattern = %d{HH:mm:ss.SSS} %-5level [%t] %c{1} - %msg%n",
            "rootLogger.level = warn",
            "rootLogger.appenderRef.console.ref = console",
            "logger.flink.name = org.apache.flink",
            "logger.flink.level = info",
            ""),
        StandardCharsets.UTF_8);
    Path gcLog = logDir.resolve("flink-jobmanager-" + scenario + "-gc.log");
    List<String> jvm = new ArrayList<>(jvmOptions);
    jvm.add("-Xlog:gc:file=" + gcLog);
    jvm.addAll(flinkOptions(confDir));
    JvmProcess process =
        JvmProcess.startWithClasspath(
            "flink-jobmanager-" + scenario,
            FlinkSessionCluster.JOB_MANAGER_MAIN,
            classpath,
            logDir,
            jvm,
            List.of("--configDir", confDir.toString()));
    return new JobManager(process, new RestApi("127.0.0.1", restPort), gcLog, rpcPort, confDir);
  }

  @Override
  public JvmProcess startTaskManagers(
      JobManager jobManager,
      String scenario,
      Path dir,
      List<String> jvmOptions,
      Path logDir,
      int count,
      int slots,
      boolean runTasks)
      throws IOException {
    // the JobManager's configuration, plus what only the TaskExecutors read
    Path confDir = Files.createDirectories(dir.resolve("taskexecutor-conf"));
    for (String file : List.of("config.yaml", "log4j2.properties")) {
      Files.copy(
          jobManager.confDir().resolve(file),
          confDir.resolve(file),
          StandardCopyOption.REPLACE_EXISTING);
    }
    if (runTasks) {
      Files.writeString(
          confDir.resolve("config.yaml"),
          "taskmanager.memory.network.min: "
              + NETWORK_MEMORY_FOR_TASKS
              + "\ntaskmanager.memory.network.max: "
              + NETWORK_MEMORY_FOR_TASKS
              + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.APPEND);
    }
    List<String> jvm = new ArrayList<>(jvmOptions);
    jvm.addAll(flinkOptions(confDir));
    return JvmProcess.startWithClasspath(
        "flink-taskexecutors-" + scenario,
        "io.baton.flinkbench.ManyTaskExecutors",
        classpath,
        logDir,
        jvm,
        List.of(
            "--configDir",
            confDir.toString(),
            "--workDir",
            dir.resolve("taskexecutors").toString(),
            "--count",
            Integer.toString(count),
            "--slots",
            Integer.toString(slots)));
  }

  @Override
  public String submitJob(JobManager jobManager, Path dir, int parallelism) throws IOException {
    return jobManager
        .rest()
        .submitToFlink(
            FlinkClasspath.benchmarkJar(), "io.baton.flinkbench.IdleJob", parallelism, List.of());
  }

  /**
   * Two threads per task (its task thread and its "System Time Trigger" timer thread, as counted in
   * a thread dump of IdleJob's tasks), and a few per TaskExecutor: {@link
   * #THREADS_PER_TASK_EXECUTOR}.
   */
  @Override
  public long threadsNeeded(int taskManagers, int subtasks) {
    return 2L * subtasks + (long) taskManagers * THREADS_PER_TASK_EXECUTOR;
  }

  private static List<String> flinkOptions(Path confDir) {
    List<String> options = new ArrayList<>(JAVA_17_OPTIONS);
    options.add("-Dlog4j.configurationFile=" + confDir.resolve("log4j2.properties").toUri());
    return options;
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0)) {
      return probe.getLocalPort();
    }
  }
}
