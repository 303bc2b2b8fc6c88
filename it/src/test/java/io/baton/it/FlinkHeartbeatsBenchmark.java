package io.baton.it;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.common.config.Configuration;
import io.baton.common.config.HeartbeatOptions;
import io.baton.common.config.JobManagerOptions;
import io.baton.common.config.RestOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JobManager with 200 TaskManagers heartbeating, Baton and Apache Flink 1.20.1 side by side: the
 * JobManager's CPU (share of one core over a measurement window) and heap (after a full GC, and the
 * peak within the window), idle first and then with every TaskManager registered.
 *
 * <p>Baton: a JobManager JVM (non-HA) and one JVM of {@link SimulatedTaskManagers} speaking Baton's
 * gRPC protocol. Flink: a StandaloneSessionClusterEntrypoint JVM (non-HA) and one JVM of real
 * TaskExecutors ({@code io.baton.flinkbench.ManyTaskExecutors}), started with Flink's class path
 * only. The sides run one after the other, never at the same time. Writes the {@code heartbeats}
 * part of the comparison table; asserts nothing about the figures. Run with {@code bin/benchmark.sh
 * flink}; {@code -Dbenchmark.heartbeats.seconds} sets the window (default 60), {@code
 * -Dbenchmark.heartbeats.warmup.seconds} the warm-up (default 20), {@code
 * -Dbenchmark.heartbeats.taskmanagers} the count (default 200), {@code
 * -Dbenchmark.heartbeats.interval.ms}/{@code .timeout.ms} the heartbeats (default 10000/50000, both
 * systems' defaults).
 */
class FlinkHeartbeatsBenchmark {
  private static final int TASK_MANAGERS =
      Integer.getInteger("benchmark.heartbeats.taskmanagers", 200);
  private static final Duration WINDOW =
      Duration.ofSeconds(Long.getLong("benchmark.heartbeats.seconds", 60));
  private static final Duration WARM_UP =
      Duration.ofSeconds(Long.getLong("benchmark.heartbeats.warmup.seconds", 20));
  private static final Duration INTERVAL =
      Duration.ofMillis(Long.getLong("benchmark.heartbeats.interval.ms", 10_000));
  private static final Duration TIMEOUT =
      Duration.ofMillis(Long.getLong("benchmark.heartbeats.timeout.ms", 50_000));
  private static final Duration START_DEADLINE = Duration.ofMinutes(3);

  /** The same for both JobManagers; the GC log is added per process. */
  private static final List<String> JOB_MANAGER_JVM = List.of("-Xmx512m", "-XX:+UseSerialGC");

  private static final List<String> SIMULATOR_JVM =
      List.of("-Xmx1g", "-XX:MaxDirectMemorySize=512m", "-XX:+UseSerialGC");

  /**
   * What Flink's own config.yaml passes to every Flink JVM on Java 17: {@link
   * FlinkSessionCluster#JAVA_17_OPTIONS} after {@code -XX:+IgnoreUnrecognizedVMOptions}.
   */
  private static final List<String> FLINK_JAVA_17_OPTIONS =
      Stream.concat(
              Stream.of("-XX:+IgnoreUnrecognizedVMOptions"),
              FlinkSessionCluster.JAVA_17_OPTIONS.stream())
          .toList();

  /** Kept after the run for a look (each run starts them afresh). */
  private static final Path LOG_DIR = Path.of("target", "heartbeats-logs");

  @TempDir Path workDir;
  private Path logDir;
  private final List<JvmProcess> processes = new ArrayList<>();

  /** One window's figures of a JobManager (and of the simulator JVM, when there is one). */
  record Window(
      double cpuPercent,
      double heapAfterGcMiB,
      double peakHeapMiB,
      double simulatorCpu,
      String loadAverage) {}

  /** A side's two windows: idle, then with every TaskManager heartbeating. */
  record Side(Window idle, Window loaded, Duration registration) {}

  @BeforeEach
  void cleanLogs() throws IOException {
    logDir = LOG_DIR.toAbsolutePath();
    if (Files.isDirectory(logDir)) {
      try (var files = Files.list(logDir)) {
        for (Path f : files.toList()) {
          Files.deleteIfExists(f);
        }
      }
    }
    Files.createDirectories(logDir);
  }

  @AfterEach
  void stopAll() throws Exception {
    for (JvmProcess p : processes) {
      if (p.isAlive()) {
        p.kill();
      }
    }
  }

  @Test
  void jobManagerWithManyHeartbeatingTaskManagers() throws Exception {
    Side baton = null;
    Side flink = null;
    String batonFailure = null;
    String flinkFailure = null;
    try {
      baton = measureBaton();
    } catch (Exception | AssertionError e) {
      batonFailure = "Baton side failed: " + e.getMessage();
      System.err.println(batonFailure);
    } finally {
      stopAll();
      processes.clear();
    }
    try {
      flink = measureFlink();
    } catch (Exception | AssertionError e) {
      flinkFailure = "Flink side failed: " + e.getMessage();
      System.err.println(flinkFailure);
    } finally {
      stopAll();
      processes.clear();
    }
    report(baton, flink);
    if (batonFailure != null || flinkFailure != null) {
      throw new AssertionError(
          (batonFailure == null ? "" : batonFailure + "; ")
              + (flinkFailure == null ? "" : flinkFailure)
              + " (logs under "
              + logDir
              + ")");
    }
  }

  // ---------------------------------------------------------------- Baton

  private Side measureBaton() throws Exception {
    int rpcPort = freePort();
    int restPort = freePort();
    Configuration config =
        ClusterConfigs.jobManager(workDir)
            .set(JobManagerOptions.PORT, rpcPort)
            .set(RestOptions.PORT, restPort)
            .set(HeartbeatOptions.INTERVAL, INTERVAL)
            .set(HeartbeatOptions.TIMEOUT, TIMEOUT);
    Path confDir = Files.createDirectories(workDir.resolve("baton-empty-conf"));
    List<String> args = new ArrayList<>(List.of("--configDir", confDir.toString()));
    args.addAll(ClusterConfigs.asDynamicProperties(config));
    Path gcLog = logDir.resolve("baton-jobmanager-gc.log");
    Files.createDirectories(gcLog.getParent());
    JvmProcess jobManager =
        start(
            JvmProcess.start(
                "baton-jobmanager",
                "io.baton.coordinator.JobManagerEntrypoint",
                logDir,
                withGcLog(JOB_MANAGER_JVM, gcLog),
                args));
    RestApi rest = new RestApi("127.0.0.1", restPort);
    awaitAnswering("Baton", jobManager, rest);

    Window idle = measure(jobManager, gcLog, null);

    long simulatorStarted = System.nanoTime();
    JvmProcess simulator =
        start(
            JvmProcess.start(
                "baton-simulated-taskmanagers",
                "io.baton.it.SimulatedTaskManagers",
                logDir,
                SIMULATOR_JVM,
                List.of(
                    "--jobmanager",
                    "127.0.0.1:" + rpcPort,
                    "--count",
                    Integer.toString(TASK_MANAGERS),
                    "--slots",
                    "1")));
    return registeredAndMeasured(
        "Baton", rest, jobManager, gcLog, simulator, simulatorStarted, idle);
  }

  // ---------------------------------------------------------------- Flink

  private Side measureFlink() throws Exception {
    String classpath = FlinkClasspath.classpath();
    int rpcPort = freePort();
    int restPort = freePort();
    Path confDir = Files.createDirectories(workDir.resolve("flink-conf"));
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
            "heartbeat.interval: " + INTERVAL.toMillis() + " ms",
            "heartbeat.timeout: " + TIMEOUT.toMillis() + " ms",
            "io.tmp.dirs: " + Files.createDirectories(workDir.resolve("flink-tmp")),
            "web.tmpdir: " + Files.createDirectories(workDir.resolve("flink-web")),
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
    List<String> flinkOptions = new ArrayList<>(FLINK_JAVA_17_OPTIONS);
    flinkOptions.add("-Dlog4j.configurationFile=" + log4j.toUri());

    Path gcLog = logDir.resolve("flink-jobmanager-gc.log");
    Files.createDirectories(gcLog.getParent());
    List<String> jobManagerJvm = new ArrayList<>(withGcLog(JOB_MANAGER_JVM, gcLog));
    jobManagerJvm.addAll(flinkOptions);
    JvmProcess jobManager =
        start(
            JvmProcess.startWithClasspath(
                "flink-jobmanager",
                FlinkSessionCluster.JOB_MANAGER_MAIN,
                classpath,
                logDir,
                jobManagerJvm,
                List.of("--configDir", confDir.toString())));
    RestApi rest = new RestApi("127.0.0.1", restPort);
    awaitAnswering("Flink", jobManager, rest);

    Window idle = measure(jobManager, gcLog, null);

    List<String> simulatorJvm = new ArrayList<>(SIMULATOR_JVM);
    simulatorJvm.addAll(flinkOptions);
    long simulatorStarted = System.nanoTime();
    JvmProcess simulator =
        start(
            JvmProcess.startWithClasspath(
                "flink-taskexecutors",
                "io.baton.flinkbench.ManyTaskExecutors",
                classpath,
                logDir,
                simulatorJvm,
                List.of(
                    "--configDir",
                    confDir.toString(),
                    "--workDir",
                    workDir.resolve("flink-taskexecutors").toString(),
                    "--count",
                    Integer.toString(TASK_MANAGERS),
                    "--slots",
                    "1")));
    return registeredAndMeasured(
        "Flink", rest, jobManager, gcLog, simulator, simulatorStarted, idle);
  }

  /** Waits until the side's JobManager answers {@code GET /overview}. */
  private void awaitAnswering(String side, JvmProcess jobManager, RestApi rest) {
    awaitUntil(
        "the " + side + " JobManager answers GET /overview",
        START_DEADLINE,
        () -> alive(jobManager) && rest.get("/overview").status() == 200);
  }

  /**
   * Waits until the side's JobManager sees every simulated TaskManager with its slot (the time
   * since {@code simulatorStarted} is the registration time), then measures the loaded window;
   * fails if a TaskManager was lost during it.
   */
  private Side registeredAndMeasured(
      String side,
      RestApi rest,
      JvmProcess jobManager,
      Path gcLog,
      JvmProcess simulator,
      long simulatorStarted,
      Window idle)
      throws Exception {
    awaitUntil(
        "the " + side + " JobManager sees " + TASK_MANAGERS + " TaskManagers with their slots",
        START_DEADLINE,
        () -> alive(jobManager) && alive(simulator) && seesAllTaskManagers(rest));
    Duration registration = Duration.ofNanos(System.nanoTime() - simulatorStarted);
    Window loaded = measure(jobManager, gcLog, simulator);
    if (!seesAllTaskManagers(rest)) {
      throw new AssertionError(
          "the "
              + side
              + " JobManager lost TaskManagers during the window: "
              + rest.getOk("/overview"));
    }
    return new Side(idle, loaded, registration);
  }

  /**
   * Whether {@code GET /overview} and {@code GET /taskmanagers} (the same on Baton and Flink) show
   * every simulated TaskManager with its one free slot.
   */
  private static boolean seesAllTaskManagers(RestApi rest) {
    JsonNode overview = rest.getOk("/overview");
    JsonNode taskManagers = rest.getOk("/taskmanagers").get("taskmanagers");
    int slots = 0;
    for (JsonNode tm : taskManagers) {
      slots += tm.get("slotsNumber").asInt();
    }
    return overview.get("taskmanagers").asInt() == TASK_MANAGERS
        && overview.get("slots-total").asInt() == TASK_MANAGERS
        && overview.get("slots-available").asInt() == TASK_MANAGERS
        && taskManagers.size() == TASK_MANAGERS
        && slots == TASK_MANAGERS;
  }

  // ---------------------------------------------------------------- measuring

  /**
   * Warm-up, then the window: CPU from /proc over the window, the peak heap from the GC pauses in
   * it and the heap at its end, then the heap after a full GC.
   */
  private Window measure(JvmProcess jobManager, Path gcLog, JvmProcess simulator) throws Exception {
    hold(WARM_UP);
    long gcLinesBefore = lines(gcLog).size();
    // the machine may be shared: its load when the window opens says how quiet it was
    String loadAverage = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    long jmTicks0 = ProcessReadings.cpuTicks(jobManager.pid());
    long simTicks0 = simulator == null ? 0 : ProcessReadings.cpuTicks(simulator.pid());
    long t0 = System.nanoTime();
    hold(WINDOW);
    long jmTicks1 = ProcessReadings.cpuTicks(jobManager.pid());
    long simTicks1 = simulator == null ? 0 : ProcessReadings.cpuTicks(simulator.pid());
    double seconds = (System.nanoTime() - t0) / 1e9;
    // a process that ended during the window leaves no figure
    alive(jobManager);
    if (simulator != null) {
      alive(simulator);
    }
    double usedAtEndKiB = ProcessReadings.usedHeapKiB(jobManager.pid());
    List<String> all = lines(gcLog);
    Path windowLog = gcLog.resolveSibling(gcLog.getFileName() + ".window");
    Files.write(windowLog, all.subList((int) Math.min(gcLinesBefore, all.size()), all.size()));
    double peakMiB = Math.max(GcLog.peakHeapMiB(windowLog), usedAtEndKiB / 1024.0);
    ProcessReadings.fullGc(jobManager.pid());
    double afterGcMiB = ProcessReadings.usedHeapKiB(jobManager.pid()) / 1024.0;
    double tick = ProcessReadings.clockTicksPerSecond();
    return new Window(
        100.0 * (jmTicks1 - jmTicks0) / tick / seconds,
        afterGcMiB,
        peakMiB,
        simulator == null ? Double.NaN : 100.0 * (simTicks1 - simTicks0) / tick / seconds,
        loadAverage);
  }

  /** A measurement window is a span of time, not a condition to wait for. */
  private static void hold(Duration span) {
    long end = System.nanoTime() + span.toNanos();
    for (long left = span.toNanos(); left > 0; left = end - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
  }

  private static List<String> withGcLog(List<String> options, Path gcLog) {
    List<String> all = new ArrayList<>(options);
    all.add("-Xlog:gc:file=" + gcLog);
    return all;
  }

  private static List<String> lines(Path file) throws IOException {
    return Files.exists(file) ? Files.readAllLines(file) : List.of();
  }

  private JvmProcess start(JvmProcess process) {
    processes.add(process);
    return process;
  }

  /** A process of the benchmark ended: waiting any longer is pointless. */
  private static final class ProcessExited extends RuntimeException {
    ProcessExited(String message) {
      super(message);
    }
  }

  /** Polls until {@code condition} holds; fails at once when a process it needs exited. */
  private static void awaitUntil(String what, Duration deadline, Callable<Boolean> condition) {
    await(what)
        .atMost(deadline)
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptionsMatching(e -> !(e instanceof ProcessExited))
        .until(condition);
  }

  private static boolean alive(JvmProcess process) throws IOException {
    if (!process.isAlive()) {
      String log = process.logText();
      throw new ProcessExited(
          process.name()
              + " exited; the end of its log: "
              + log.substring(Math.max(0, log.length() - 2000)));
    }
    return true;
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0)) {
      return probe.getLocalPort();
    }
  }

  // ---------------------------------------------------------------- report

  private void report(Side baton, Side flink) throws IOException {
    ComparisonReport report = new ComparisonReport("heartbeats");
    String loaded = TASK_MANAGERS + " TaskManagers heartbeating";
    String idle = "JobManager idle (0 TaskManagers)";
    addRows(report, idle, baton == null ? null : baton.idle(), flink == null ? null : flink.idle());
    addRows(
        report,
        loaded,
        baton == null ? null : baton.loaded(),
        flink == null ? null : flink.loaded());
    report
        .setting(
            TASK_MANAGERS
                + " TaskManagers with 1 slot each, all in one simulator JVM per side. Baton:"
                + " SimulatedTaskManagers (it), each with its own id, its own TaskManagerService"
                + " gRPC server port and its own channel to the JobManager, registering and"
                + " heartbeating over Baton's gRPC protocol (slot report and heap in every"
                + " heartbeat). Flink: ManyTaskExecutors (flink-benchmark), real TaskExecutors from"
                + " TaskManagerRunner.startTaskManager, each with its own ResourceID, slot table and"
                + " Netty shuffle environment, sharing one Pekko RPC service (so one connection to"
                + " the JobManager), no managed memory, 128 KiB of network buffers each")
        .setting(
            "heartbeat.interval "
                + INTERVAL.toMillis()
                + " ms, heartbeat.timeout "
                + TIMEOUT.toMillis()
                + " ms on both sides. Baton: each TaskManager calls Heartbeat on the JobManager"
                + " and gets an answer; Flink: the resource manager asks each TaskExecutor for a"
                + " heartbeat and it answers with its slot report (no job runs, so no JobMaster"
                + " heartbeats)")
        .setting(
            "Both non-HA: Baton JobManagerEntrypoint (high-availability.type none), Flink"
                + " StandaloneSessionClusterEntrypoint (high-availability.type NONE, web UI on)")
        .setting(
            "JobManager JVMs: "
                + String.join(" ", JOB_MANAGER_JVM)
                + " -Xlog:gc on both (Flink also with the --add-opens/--add-exports of Flink's"
                + " config.yaml for Java 17); simulator JVMs: "
                + String.join(" ", SIMULATOR_JVM))
        .setting(
            "Per side, one after the other: JobManager started, "
                + WARM_UP.toSeconds()
                + " s warm-up, "
                + WINDOW.toSeconds()
                + " s idle window; then the simulator started, all TaskManagers and slots"
                + " seen in GET /overview and GET /taskmanagers, "
                + WARM_UP.toSeconds()
                + " s warm-up, "
                + WINDOW.toSeconds()
                + " s window (-Dbenchmark.heartbeats.seconds)")
        .setting(
            "CPU = (utime + stime of /proc/<pid>/stat at the end of the window − at its start) ÷"
                + " window, in % of one core. Heap after full GC = S0U+S1U+EU+OU of `jstat -gc`"
                + " after `jcmd <pid> GC.run` at the end of the window; peak heap = the larger of"
                + " the highest heap before a GC pause of the -Xlog:gc file within the window and"
                + " the used heap at its end")
        .setting(
            "Simulator JVM CPU over the same window (context, not a comparison: the Baton"
                + " simulator only fakes TaskManagers, Flink's runs real TaskExecutors): Baton "
                + (baton == null ? "n/a" : percent(baton.loaded().simulatorCpu()))
                + ", Flink "
                + (flink == null ? "n/a" : percent(flink.loaded().simulatorCpu()))
                + "; from the simulator's start until the JobManager listed every TaskManager"
                + " and slot: Baton "
                + (baton == null ? "n/a" : seconds(baton.registration()))
                + ", Flink "
                + (flink == null ? "n/a" : seconds(flink.registration()))
                + " (mostly the simulators' own start-up); process logs in it/target/heartbeats-logs")
        .setting(
            "Machine load (1-minute load average) when each window opened, idle/loaded: Baton "
                + (baton == null
                    ? "n/a"
                    : baton.idle().loadAverage() + "/" + baton.loaded().loadAverage())
                + ", Flink "
                + (flink == null
                    ? "n/a"
                    : flink.idle().loadAverage() + "/" + flink.loaded().loadAverage())
                + " on "
                + Runtime.getRuntime().availableProcessors()
                + " cores; CPU time counts only the process's own work, but a busy machine still"
                + " makes every figure noisier");
    report.write();
  }

  private static void addRows(ComparisonReport report, String benchmark, Window b, Window f) {
    row(report, benchmark, "JobManager CPU (% of a core)", b, f, Window::cpuPercent);
    row(report, benchmark, "JobManager heap after full GC (MiB)", b, f, Window::heapAfterGcMiB);
    row(report, benchmark, "JobManager peak heap in window (MiB)", b, f, Window::peakHeapMiB);
  }

  private static void row(
      ComparisonReport report,
      String benchmark,
      String measure,
      Window baton,
      Window flink,
      java.util.function.ToDoubleFunction<Window> figure) {
    if (baton != null && flink != null) {
      report.row(
          benchmark,
          measure,
          round(figure.applyAsDouble(baton)),
          round(figure.applyAsDouble(flink)));
    } else {
      report.rowWithout(
          benchmark,
          measure,
          baton == null ? "not measured" : format(figure.applyAsDouble(baton)),
          flink == null ? "not measured" : format(figure.applyAsDouble(flink)),
          "a side failed to start (see the run's output)");
    }
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }

  private static String format(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  private static String percent(double value) {
    return String.format(Locale.ROOT, "%.2f %% of a core", value);
  }
}
