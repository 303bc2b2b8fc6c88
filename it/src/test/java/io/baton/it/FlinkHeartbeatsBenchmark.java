package io.baton.it;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a JobManager's cost grows, Baton and Apache Flink 1.20.1 side by side: the JobManager's CPU
 * (share of one core over a measurement window) and heap (after a full GC, and the peak within the
 * window) idle, with 200, 1,000 and 2,000 TaskManagers heartbeating, and with a job of 10,000
 * subtasks running; then how CPU and heap grow per 1,000 TaskManagers and per 1,000 running
 * subtasks.
 *
 * <p>Baton: a JobManager JVM (non-HA) and one JVM of {@link SimulatedTaskManagers} speaking Baton's
 * gRPC protocol; for the running subtasks they acknowledge the tasks submitted and report them
 * RUNNING, as a TaskExecutor does, without running them. Flink: a
 * StandaloneSessionClusterEntrypoint JVM (non-HA) and one JVM of real TaskExecutors ({@code
 * io.baton.flinkbench.ManyTaskExecutors}), started with Flink's class path only; for the running
 * subtasks they run the real tasks of {@code io.baton.flinkbench.IdleJob}, whose sources never
 * emit. Every scenario starts a fresh JobManager; the sides run one after the other, never at the
 * same time (see {@link BatonHeartbeatsSide}, {@link FlinkHeartbeatsSide}). A scenario a side
 * cannot run (a JVM that runs out of memory, too few threads left on the machine, a job that does
 * not get all RUNNING) is reported as not measured with the reason, and the others still run.
 * Writes the {@code heartbeats} part of the comparison table; asserts nothing about the figures.
 * Run with {@code bin/benchmark.sh flink}.
 *
 * <p>Settings: {@code -Dbenchmark.heartbeats.taskmanagers} the TaskManager counts (default {@code
 * 200,1000,2000}), {@code -Dbenchmark.heartbeats.subtasks} the running subtasks (default 10000,
 * even; 0 leaves the scenario out) on TaskManagers of {@code -Dbenchmark.heartbeats.subtasks.slots}
 * slots (default 5), {@code -Dbenchmark.heartbeats.seconds} the window (default 60), {@code
 * -Dbenchmark.heartbeats.warmup.seconds} the warm-up (default 20), {@code
 * -Dbenchmark.heartbeats.interval.ms}/{@code .timeout.ms} the heartbeats (default 10000/50000, both
 * systems' defaults), {@code -Dbenchmark.sides} which sides run ({@code baton,flink} by default;
 * {@code baton} alone, to measure a change to Baton's JobManager, prints its outcomes and writes no
 * table).
 */
class FlinkHeartbeatsBenchmark {
  private static final List<Integer> COUNTS =
      Arrays.stream(
              System.getProperty("benchmark.heartbeats.taskmanagers", "200,1000,2000").split(","))
          .map(String::trim)
          .map(Integer::parseInt)
          .toList();
  private static final int SUBTASKS = Integer.getInteger("benchmark.heartbeats.subtasks", 10_000);
  private static final int SUBTASK_SLOTS =
      Integer.getInteger("benchmark.heartbeats.subtasks.slots", 5);
  private static final Duration WINDOW =
      Duration.ofSeconds(Long.getLong("benchmark.heartbeats.seconds", 60));
  private static final Duration WARM_UP =
      Duration.ofSeconds(Long.getLong("benchmark.heartbeats.warmup.seconds", 20));
  private static final Duration INTERVAL =
      Duration.ofMillis(Long.getLong("benchmark.heartbeats.interval.ms", 10_000));
  private static final Duration TIMEOUT =
      Duration.ofMillis(Long.getLong("benchmark.heartbeats.timeout.ms", 50_000));
  private static final List<String> SIDES =
      Arrays.stream(System.getProperty("benchmark.sides", "baton,flink").split(","))
          .map(String::trim)
          .map(side -> side.toLowerCase(Locale.ROOT))
          .toList();
  // 2,000 of Flink's TaskExecutors start one after the other: minutes on a busy 2-core machine
  private static final Duration START_DEADLINE = Duration.ofMinutes(10);
  private static final Duration RUNNING_DEADLINE = Duration.ofMinutes(10);

  /** The same for both JobManagers; the GC log is added per process. */
  private static final List<String> JOB_MANAGER_JVM = List.of("-Xmx1g", "-XX:+UseSerialGC");

  /** Sized for 2,000 TaskManagers (Flink's real TaskExecutors need the most). */
  private static final List<String> SIMULATOR_JVM =
      List.of("-Xmx4g", "-XX:MaxDirectMemorySize=2g", "-XX:+UseSerialGC");

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
      long simulatorThreads,
      String loadAverage) {}

  /**
   * One scenario on one side: its window, how long the TaskManagers took to register and the job to
   * get all RUNNING (zero where there was none), or why it was not measured.
   */
  record Outcome(Window window, Duration registration, Duration toRunning, String failure) {
    static Outcome failed(String why) {
      return new Outcome(null, Duration.ZERO, Duration.ZERO, why);
    }

    boolean measured() {
      return window != null;
    }
  }

  /** A side's scenarios: idle, each TaskManager count, the running subtasks (or null). */
  record Results(Outcome idle, Map<Integer, Outcome> heartbeats, Outcome subtasks) {}

  /** A scenario's body, given its started JobManager. */
  private interface Scenario {
    Outcome run(HeartbeatsSide.JobManager jobManager) throws Exception;
  }

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
    processes.clear();
  }

  @Test
  void jobManagerCostWithTaskManagersAndSubtasks() throws Exception {
    for (int count : COUNTS) {
      if (count < 1) {
        throw new IllegalArgumentException(
            "benchmark.heartbeats.taskmanagers: " + count + " is not a count of TaskManagers");
      }
    }
    if (SUBTASKS < 0 || SUBTASKS % 2 != 0 || SUBTASK_SLOTS < 1) {
      throw new IllegalArgumentException(
          "benchmark.heartbeats.subtasks must be an even count (0: none), got "
              + SUBTASKS
              + ", and benchmark.heartbeats.subtasks.slots at least 1, got "
              + SUBTASK_SLOTS);
    }
    if (SIDES.isEmpty() || !List.of("baton", "flink").containsAll(SIDES)) {
      throw new IllegalArgumentException(
          "benchmark.sides: " + SIDES + " names a side other than baton and flink");
    }
    Results baton =
        SIDES.contains("baton")
            ? run(new BatonHeartbeatsSide(INTERVAL, TIMEOUT, Math.max(1024, parallelism())))
            : null;
    Results flink =
        SIDES.contains("flink") ? run(new FlinkHeartbeatsSide(INTERVAL, TIMEOUT)) : null;
    if (baton != null && flink != null) {
      new HeartbeatsReport(this, baton, flink).write();
    }
  }

  // ---------------------------------------------------------------- scenarios

  /** Runs every scenario of one side, one after the other. */
  private Results run(HeartbeatsSide side) {
    Outcome idle =
        scenario(
            side,
            "idle",
            jobManager ->
                new Outcome(measure(jobManager, null), Duration.ZERO, Duration.ZERO, null));
    Map<Integer, Outcome> heartbeats = new LinkedHashMap<>();
    for (int count : COUNTS) {
      heartbeats.put(
          count, scenario(side, count + "tm", jobManager -> heartbeating(side, jobManager, count)));
    }
    Outcome subtasks =
        SUBTASKS == 0
            ? null
            : scenario(side, SUBTASKS + "subtasks", jobManager -> running(side, jobManager));
    return new Results(idle, heartbeats, subtasks);
  }

  /**
   * Starts a fresh JobManager of the side, runs {@code body} with it and stops every process it
   * started; a failure becomes the outcome's one-line reason.
   */
  private Outcome scenario(HeartbeatsSide side, String name, Scenario body) {
    String label = side.name() + " " + name;
    try {
      Path dir =
          Files.createDirectories(
              workDir.resolve(side.name().toLowerCase(Locale.ROOT)).resolve(name));
      HeartbeatsSide.JobManager jobManager =
          track(side.startJobManager(name, dir, JOB_MANAGER_JVM, logDir));
      awaitUntil(
          "the " + side.name() + " JobManager answers GET /overview",
          START_DEADLINE,
          () -> alive(jobManager.process()) && jobManager.rest().get("/overview").status() == 200);
      System.out.println("heartbeats: " + label + " started");
      Outcome outcome = body.run(jobManager);
      System.out.println("heartbeats: " + label + " measured: " + outcome);
      return outcome;
    } catch (Exception | AssertionError e) {
      String why = oneLine(e);
      System.err.println("heartbeats: " + label + " not measured: " + why);
      e.printStackTrace();
      return Outcome.failed(why);
    } finally {
      try {
        stopAll();
      } catch (Exception e) {
        System.err.println("heartbeats: could not stop the processes of " + label + ": " + e);
      }
    }
  }

  /** {@code count} TaskManagers of one slot heartbeating, no job. */
  private Outcome heartbeating(HeartbeatsSide side, HeartbeatsSide.JobManager jobManager, int count)
      throws Exception {
    requireThreads(side.threadsNeeded(count, 0));
    long started = System.nanoTime();
    JvmProcess simulator =
        track(
            side.startTaskManagers(
                jobManager,
                count + "tm",
                workDir.resolve(side.name() + "-" + count + "tm"),
                SIMULATOR_JVM,
                logDir,
                count,
                1,
                false));
    awaitRegistered(side, jobManager, simulator, count, 1);
    Duration registration = Duration.ofNanos(System.nanoTime() - started);
    Window window = measure(jobManager, simulator);
    if (!seesAllTaskManagers(jobManager.rest(), count, 1, count)) {
      throw new AssertionError(
          "the JobManager lost TaskManagers during the window: "
              + jobManager.rest().getOk("/overview"));
    }
    return new Outcome(window, registration, Duration.ZERO, null);
  }

  /** The job of {@link #SUBTASKS} subtasks running on TaskManagers that accept tasks. */
  private Outcome running(HeartbeatsSide side, HeartbeatsSide.JobManager jobManager)
      throws Exception {
    int taskManagers = subtaskTaskManagers();
    int parallelism = parallelism();
    requireThreads(side.threadsNeeded(taskManagers, SUBTASKS));
    String scenario = SUBTASKS + "subtasks";
    long started = System.nanoTime();
    JvmProcess simulator =
        track(
            side.startTaskManagers(
                jobManager,
                scenario,
                workDir.resolve(side.name() + "-" + scenario),
                SIMULATOR_JVM,
                logDir,
                taskManagers,
                SUBTASK_SLOTS,
                true));
    int slots = taskManagers * SUBTASK_SLOTS;
    awaitRegistered(side, jobManager, simulator, taskManagers, SUBTASK_SLOTS);
    Duration registration = Duration.ofNanos(System.nanoTime() - started);
    long submitted = System.nanoTime();
    String jobId = side.submitJob(jobManager, workDir.resolve(side.name() + "-job"), parallelism);
    String label = side.name() + " job " + jobId + " of " + SUBTASKS + " subtasks";
    awaitUntil(
        label + " all RUNNING",
        RUNNING_DEADLINE,
        () ->
            alive(jobManager.process())
                && alive(simulator)
                && allRunning(jobManager, jobId, label));
    Duration toRunning = Duration.ofNanos(System.nanoTime() - submitted);
    Window window = measure(jobManager, simulator);
    if (!allRunning(jobManager, jobId, label)
        || !seesAllTaskManagers(
            jobManager.rest(), taskManagers, SUBTASK_SLOTS, slots - parallelism)) {
      throw new AssertionError(
          label
              + " did not stay all RUNNING on every TaskManager during the window: "
              + jobManager.rest().getOk("/overview"));
    }
    return new Outcome(window, registration, toRunning, null);
  }

  /** Fails when the machine has fewer threads left than a TaskManagers' JVM needs. */
  private static void requireThreads(long needed) throws IOException {
    long free = MachineThreads.free();
    if (needed > 0 && needed > free) {
      throw new AssertionError(
          "the TaskManagers' JVM needs about "
              + needed
              + " threads, the machine has "
              + free
              + " left (the smaller of kernel.pid_max and kernel.threads-max, less the threads"
              + " running and "
              + MachineThreads.RESERVE
              + " kept for other processes)");
    }
  }

  /** Whether every subtask of the job is RUNNING; gives up at once when the job ended. */
  private static boolean allRunning(
      HeartbeatsSide.JobManager jobManager, String jobId, String label) {
    RestApi.Response r = jobManager.rest().get("/jobs/" + jobId, Duration.ofSeconds(30));
    if (r.status() != 200 || r.body() == null) {
      return false;
    }
    String state = r.body().path("state").asText();
    if (state.equals("FAILED") || state.equals("CANCELED") || state.equals("FINISHED")) {
      String text = r.text();
      throw new GaveUp(
          label + " ended " + state + ": " + text.substring(0, Math.min(text.length(), 500)));
    }
    return FlinkSessionCluster.allRunning(r.body());
  }

  /** Waits until the JobManager sees every TaskManager with its slots, all free. */
  private void awaitRegistered(
      HeartbeatsSide side,
      HeartbeatsSide.JobManager jobManager,
      JvmProcess simulator,
      int count,
      int slots) {
    awaitUntil(
        "the " + side.name() + " JobManager sees " + count + " TaskManagers with their slots",
        START_DEADLINE,
        () ->
            alive(jobManager.process())
                && alive(simulator)
                && seesAllTaskManagers(jobManager.rest(), count, slots, count * slots));
  }

  /**
   * Whether {@code GET /overview} and {@code GET /taskmanagers} (the same on Baton and Flink) show
   * {@code count} TaskManagers of {@code slots} slots each, {@code available} of them free.
   */
  private static boolean seesAllTaskManagers(RestApi rest, int count, int slots, int available) {
    JsonNode overview = rest.getOk("/overview");
    JsonNode taskManagers = rest.getOk("/taskmanagers").get("taskmanagers");
    int listed = 0;
    for (JsonNode tm : taskManagers) {
      listed += tm.get("slotsNumber").asInt();
    }
    return overview.get("taskmanagers").asInt() == count
        && overview.get("slots-total").asInt() == count * slots
        && overview.get("slots-available").asInt() == available
        && taskManagers.size() == count
        && listed == count * slots;
  }

  /** Slot sharing: a job of two vertices needs as many slots as its parallelism. */
  static int parallelism() {
    return SUBTASKS / 2;
  }

  /** Enough TaskManagers of {@link #SUBTASK_SLOTS} slots for {@link #parallelism()}. */
  static int subtaskTaskManagers() {
    return Math.max(1, (parallelism() + SUBTASK_SLOTS - 1) / SUBTASK_SLOTS);
  }

  // ---------------------------------------------------------------- measuring

  /**
   * Warm-up, then the window: CPU from /proc over the window, the peak heap from the GC pauses in
   * it and the heap at its end, then the heap after a full GC.
   */
  private Window measure(HeartbeatsSide.JobManager jm, JvmProcess simulator) throws Exception {
    JvmProcess jobManager = jm.process();
    Path gcLog = jm.gcLog();
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
    long simulatorThreads = 0;
    if (simulator != null) {
      alive(simulator);
      simulatorThreads = MachineThreads.ofProcess(simulator.pid());
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
        simulatorThreads,
        loadAverage);
  }

  /** A measurement window is a span of time, not a condition to wait for. */
  private static void hold(Duration span) {
    long end = System.nanoTime() + span.toNanos();
    for (long left = span.toNanos(); left > 0; left = end - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
  }

  private static List<String> lines(Path file) throws IOException {
    return Files.exists(file) ? Files.readAllLines(file) : List.of();
  }

  private HeartbeatsSide.JobManager track(HeartbeatsSide.JobManager jobManager) {
    processes.add(jobManager.process());
    return jobManager;
  }

  private JvmProcess track(JvmProcess process) {
    processes.add(process);
    return process;
  }

  /** Waiting any longer is pointless: a process of the benchmark ended, or its job did. */
  private static final class GaveUp extends RuntimeException {
    GaveUp(String message) {
      super(message);
    }
  }

  /** Polls until {@code condition} holds; fails at once when it gave up. */
  private static void awaitUntil(String what, Duration deadline, Callable<Boolean> condition) {
    await(what)
        .atMost(deadline)
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptionsMatching(e -> !(e instanceof GaveUp))
        .until(condition);
  }

  private static boolean alive(JvmProcess process) throws IOException {
    if (!process.isAlive()) {
      throw new GaveUp(process.name() + " exited: " + exitReason(process.logText()));
    }
    return true;
  }

  /**
   * The line of an exited process's log that says why: an error that ends a JVM (out of heap,
   * direct memory or threads), else its last line that names an error or exception.
   */
  static String exitReason(String log) {
    List<String> lines = log.lines().toList();
    for (String fatal : List.of("OutOfMemoryError", "unable to create native thread")) {
      for (String line : lines) {
        if (line.contains(fatal)) {
          return line.trim();
        }
      }
    }
    for (int i = lines.size() - 1; i >= 0; i--) {
      String line = lines.get(i);
      if (line.contains("ERROR") || line.contains("Exception") || line.contains("Error:")) {
        return line.trim();
      }
    }
    return lines.isEmpty() ? "(an empty log)" : lines.get(lines.size() - 1).trim();
  }

  /** The reason in one line for the table (no '|', at most 300 characters). */
  private static String oneLine(Throwable e) {
    String line = String.valueOf(e.getMessage()).lines().findFirst().orElse("").replace('|', '/');
    // Awaitility's "Condition with alias '<what>' didn't complete within <time>" says it all
    int because = line.indexOf(" because condition");
    line = because < 0 ? line : line.substring(0, because);
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }

  // ---------------------------------------------------------------- settings for the report

  List<Integer> counts() {
    return COUNTS;
  }

  int subtasks() {
    return SUBTASKS;
  }

  int subtaskSlots() {
    return SUBTASK_SLOTS;
  }

  Duration window() {
    return WINDOW;
  }

  Duration warmUp() {
    return WARM_UP;
  }

  Duration interval() {
    return INTERVAL;
  }

  Duration timeout() {
    return TIMEOUT;
  }

  List<String> jobManagerJvm() {
    return JOB_MANAGER_JVM;
  }

  List<String> simulatorJvm() {
    return SIMULATOR_JVM;
  }
}
