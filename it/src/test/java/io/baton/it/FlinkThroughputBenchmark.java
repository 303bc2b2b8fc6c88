package io.baton.it;

import io.baton.common.config.Configuration;
import io.baton.common.config.HeartbeatOptions;
import io.baton.common.config.JobManagerOptions;
import io.baton.common.config.RestOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Throughput and peak heap of the Ledger logic (keyed running balances, parallelism 2, a checkpoint
 * every second, exactly-once file output) on a Baton cluster (a JobManager and two TaskManagers,
 * each a JVM) and on Apache Flink's local cluster (a MiniCluster in one JVM), repetitions
 * alternating Baton, Flink, Baton, ... with fresh JVMs for every run. Writes the {@code throughput}
 * part of the side-by-side table; fails only when a side cannot run or its output is not exact.
 *
 * <p>Settings: {@code -Dbenchmark.events} (default 10 000 000), {@code -Dbenchmark.repetitions}
 * (default 3), {@code -Dbenchmark.profile=jfr} (record a Flight Recorder profile of every Baton
 * TaskManager and Flink's JVM into {@code it/target/profiles/}, each with a text summary; see
 * {@link JfrProfiling}).
 */
class FlinkThroughputBenchmark {
  private static final long EVENTS = Long.getLong("benchmark.events", 10_000_000L);
  private static final int REPETITIONS = Integer.getInteger("benchmark.repetitions", 3);
  private static final int KEYS = 1000;
  private static final int PARALLELISM = 2;
  private static final long CHECKPOINT_INTERVAL_MS = 1000;
  private static final List<String> HEAP = List.of("-Xmx1g", "-XX:+UseG1GC");
  // Flink's defaults; the tests' 3 s timeout loses a TaskManager on a machine busy with other work
  private static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(10);
  private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(50);
  private static final Duration RUN_DEADLINE = Duration.ofMinutes(30);
  private static final Pattern NET_RUNTIME = Pattern.compile("net_runtime_ms=(\\d+)");
  private static final int PROFILE_TOP_FRAMES = 25;
  private static final Pattern FLINK_VERDICT =
      Pattern.compile("lost=(\\d+) duplicated=(\\d+) wrong_final_balances=(\\d+)");

  @TempDir Path workDir;
  private final List<JvmProcess> processes = new ArrayList<>();
  private final JfrProfiling profiling = JfrProfiling.fromSystemProperties();

  @AfterEach
  void stopProcesses() throws Exception {
    closeAll();
  }

  /** One measured run of one side. */
  private record Run(long millis, long peakHeapMiB, String heapDetail, double cpuSeconds) {
    double recordsPerSecond() {
      return EVENTS / (millis / 1000.0);
    }
  }

  @Test
  void ledgerOnBatonAgainstFlinkLocalCluster() throws Exception {
    List<Run> baton = new ArrayList<>();
    List<Run> flink = new ArrayList<>();
    for (int i = 0; i < REPETITIONS; i++) {
      baton.add(runBaton(i));
      flink.add(runFlink(i));
    }
    Run batonMedian = median(baton, Comparator.comparingLong(Run::millis));
    Run flinkMedian = median(flink, Comparator.comparingLong(Run::millis));
    Run batonHeap = median(baton, Comparator.comparingLong(Run::peakHeapMiB));
    Run flinkHeap = median(flink, Comparator.comparingLong(Run::peakHeapMiB));
    Run batonCpu = median(baton, Comparator.comparingDouble(Run::cpuSeconds));
    Run flinkCpu = median(flink, Comparator.comparingDouble(Run::cpuSeconds));
    String benchmark =
        String.format(
            Locale.ROOT,
            "Ledger, %,d events, %d keys, parallelism %d, checkpoint every %d ms",
            EVENTS,
            KEYS,
            PARALLELISM,
            CHECKPOINT_INTERVAL_MS);
    new ComparisonReport("throughput")
        .row(
            benchmark,
            "records/s (median of " + REPETITIONS + ")",
            Math.round(batonMedian.recordsPerSecond()),
            Math.round(flinkMedian.recordsPerSecond()))
        .row(
            benchmark,
            "peak heap MiB (median of " + REPETITIONS + "; Baton: sum of its 3 JVMs)",
            batonHeap.peakHeapMiB(),
            flinkHeap.peakHeapMiB())
        .row(
            benchmark,
            "CPU s, all JVMs from start to the job's end (median of " + REPETITIONS + ")",
            Math.round(batonCpu.cpuSeconds() * 10) / 10.0,
            Math.round(flinkCpu.cpuSeconds() * 10) / 10.0)
        .setting(
            String.format(
                Locale.ROOT,
                "%,d events on %d keys (event i books amount i on account i %% %d), parallelism 2,"
                    + " a checkpoint every %d ms, exactly-once file output into a temporary"
                    + " directory on the same disk; %d repetition(s) per side, alternating Baton,"
                    + " Flink, Baton, ..., every run in fresh JVMs (cold JIT on both sides)",
                EVENTS,
                KEYS,
                KEYS,
                CHECKPOINT_INTERVAL_MS,
                REPETITIONS))
        .setting(
            "Baton: 1 JobManager + 2 TaskManagers (1 slot each) as 3 JVMs, heartbeats every 10 s"
                + " with a 50 s timeout (Flink's defaults), "
                + String.join(" ", HEAP)
                + " each, examples jar `ledger --rate 0 --checkpoint-interval "
                + CHECKPOINT_INTERVAL_MS
                + "` submitted over REST, file:// checkpoints")
        .setting(
            "Flink 1.20.1: io.baton.flinkbench.LocalThroughputRun (FlinkLedger's job) in ONE JVM,"
                + " local cluster (MiniCluster, 1 TaskManager with 2 slots, HashMapStateBackend,"
                + " JobManager checkpoint storage), "
                + String.join(" ", HEAP)
                + "; DataGeneratorSource, keyBy, ValueState, StreamingFileSink (bulk format,"
                + " OnCheckpointRollingPolicy)")
        .setting(
            "records/s = events / the job's own duration. Baton: `end-time - start-time` of GET"
                + " /jobs/{id} (submission to the JobManager's dispatcher, after main() ran, until"
                + " FINISHED). Flink: JobExecutionResult.getNetRuntime() (job INITIALIZING at the"
                + " JobMaster until FINISHED). Both include scheduling, deployment, the run and"
                + " the final checkpoint that commits the output; neither includes JVM start or"
                + " main().")
        .setting(
            "records/s per run: Baton "
                + rates(baton)
                + "; Flink "
                + rates(flink)
                + " (min-max: Baton "
                + range(baton, true)
                + ", Flink "
                + range(flink, true)
                + ")")
        .setting(
            "peak heap = largest heap-before-GC in each JVM's -Xlog:gc file (G1); Baton's figure"
                + " is the sum over its JobManager and 2 TaskManagers, per run: "
                + heaps(baton)
                + "; Flink's one JVM per run: "
                + heaps(flink)
                + " (min-max: Baton "
                + range(baton, false)
                + ", Flink "
                + range(flink, false)
                + ")")
        .setting(
            "CPU s = utime + stime of /proc/<pid>/stat, summed over Baton's 3 JVMs when its job"
                + " FINISHED, and of Flink's JVM at its last reading (every 100 ms) before it"
                + " exited; both include JVM start-up, the cluster's and the job's work. Unlike"
                + " records/s it hardly depends on what else the machine runs, per run: Baton "
                + cpu(baton)
                + "; Flink "
                + cpu(flink))
        .setting(
            "both file sinks write lines through a 64 KiB buffer: Baton's FileSink, and on Flink"
                + " a StreamingFileSink bulk format with a buffered line writer"
                + " (io.baton.flinkbench.BufferedLines), rolled at every checkpoint; Flink's row"
                + " format would write every record unbuffered to the local file")
        .setting(
            "every run's output verified: Baton with `ledger --verify` (every event once, every"
                + " running balance right); Flink with FlinkLedger --verify (every event once,"
                + " every account's final balance right; Flink's source splits make intermediate"
                + " balances timing-dependent)")
        .write();
  }

  private Run runBaton(int repetition) throws Exception {
    Path dir = workDir.resolve("baton-" + repetition);
    Path logs = dir.resolve("logs");
    int rpcPort = freePort();
    int restPort = freePort();
    Configuration jm =
        ClusterConfigs.jobManager(dir)
            .set(JobManagerOptions.PORT, rpcPort)
            .set(RestOptions.PORT, restPort)
            .set(HeartbeatOptions.INTERVAL, HEARTBEAT_INTERVAL)
            .set(HeartbeatOptions.TIMEOUT, HEARTBEAT_TIMEOUT)
            .setString("state.checkpoints.dir", dir.resolve("checkpoints").toUri().toString());
    List<JvmProcess> cluster = new ArrayList<>();
    cluster.add(
        startBaton(dir, "jobmanager", "io.baton.coordinator.JobManagerEntrypoint", jm, List.of()));
    String run = "baton-" + repetition;
    List<String> taskManagers = List.of("taskmanager-0", "taskmanager-1");
    for (int i = 0; i < taskManagers.size(); i++) {
      cluster.add(
          startBaton(
              dir,
              taskManagers.get(i),
              "io.baton.taskmanager.TaskManagerEntrypoint",
              ClusterConfigs.taskManager(dir, rpcPort, 1, "tm" + i)
                  .set(HeartbeatOptions.INTERVAL, HEARTBEAT_INTERVAL)
                  .set(HeartbeatOptions.TIMEOUT, HEARTBEAT_TIMEOUT),
              profiling.jvmOptions(run, taskManagers.get(i))));
    }
    RestApi rest = new RestApi("127.0.0.1", restPort);
    try {
      Awaits.until(
          "Baton cluster up (JobManager REST and 2 TaskManagers, logs in " + logs + ")",
          Duration.ofMinutes(2),
          () -> rest.getOk("/overview").get("taskmanagers").asInt() == 2);
    } catch (RuntimeException | AssertionError e) {
      throw new AssertionError("the Baton cluster did not start: see the logs in " + logs, e);
    }
    Path output = dir.resolve("ledger-out");
    String jobId =
        rest.submit(
            TestJars.examplesJar(),
            PARALLELISM,
            "ledger",
            "--events",
            Long.toString(EVENTS),
            "--keys",
            Integer.toString(KEYS),
            "--rate",
            "0",
            "--checkpoint-interval",
            Long.toString(CHECKPOINT_INTERVAL_MS),
            "--output",
            output.toString());
    try {
      Awaits.jobState(rest, jobId, "FINISHED", RUN_DEADLINE);
    } catch (AssertionError | RuntimeException e) {
      closeAll();
      throw new AssertionError(
          "Baton run " + (repetition + 1) + " failed; its logs: " + keepLogs(logs, run), e);
    }
    var job = rest.getOk("/jobs/" + jobId);
    long millis = job.get("end-time").asLong() - job.get("start-time").asLong();
    long cpuTicks = 0;
    for (JvmProcess p : cluster) {
      cpuTicks += ProcessReadings.cpuTicks(p.pid());
    }
    closeAll();
    profiling.summarise(run, taskManagers, PROFILE_TOP_FRAMES);

    LedgerVerifier.Result verdict = LedgerVerifier.verify(output, EVENTS, KEYS);
    if (verdict.exitCode() != 0 || !verdict.output().equals("lost=0 duplicated=0")) {
      throw new AssertionError(
          "Baton run " + (repetition + 1) + " wrote inexact output: " + verdict.output());
    }
    long sum = 0;
    List<String> parts = new ArrayList<>();
    for (JvmProcess p : cluster) {
      long peak = GcLog.peakHeapMiB(gcLog(logs, p.name()));
      sum += Math.max(0, peak);
      parts.add(p.name() + " " + peak);
    }
    return new Run(
        millis,
        sum,
        sum + " (" + String.join(", ", parts) + ")",
        cpuTicks / ProcessReadings.clockTicksPerSecond());
  }

  private JvmProcess startBaton(
      Path dir, String name, String mainClass, Configuration config, List<String> profile)
      throws IOException {
    Files.createDirectories(dir.resolve("conf"));
    List<String> args = new ArrayList<>(List.of("--configDir", dir.resolve("conf").toString()));
    args.addAll(ClusterConfigs.asDynamicProperties(config));
    List<String> jvm = new ArrayList<>(HEAP);
    jvm.add("-Xlog:gc:file=" + gcLog(dir.resolve("logs"), name));
    jvm.addAll(profile);
    JvmProcess process = JvmProcess.start(name, mainClass, dir.resolve("logs"), jvm, args);
    processes.add(process);
    return process;
  }

  private Run runFlink(int repetition) throws Exception {
    Path dir = workDir.resolve("flink-" + repetition);
    Path logs = dir.resolve("logs");
    Path output = dir.resolve("ledger-out");
    List<String> jvm = new ArrayList<>(HEAP);
    jvm.addAll(FlinkSessionCluster.JAVA_17_OPTIONS);
    jvm.add("-Xlog:gc:file=" + gcLog(logs, "flink-local"));
    String run = "flink-" + repetition;
    jvm.addAll(profiling.jvmOptions(run, "local"));
    JvmProcess local =
        JvmProcess.startWithClasspath(
            "flink-local",
            "io.baton.flinkbench.LocalThroughputRun",
            FlinkClasspath.classpath(),
            logs,
            jvm,
            List.of(
                "--events",
                Long.toString(EVENTS),
                "--keys",
                Integer.toString(KEYS),
                "--parallelism",
                Integer.toString(PARALLELISM),
                "--checkpoint-interval",
                Long.toString(CHECKPOINT_INTERVAL_MS),
                "--output",
                output.toString()));
    processes.add(local);
    long cpuTicks = cpuTicksUntilExit(local.pid(), RUN_DEADLINE);
    int exit = local.awaitExit(Duration.ofSeconds(30));
    Matcher runtime = NET_RUNTIME.matcher(local.logText());
    if (exit != 0 || !runtime.find()) {
      throw new AssertionError(
          "Flink's local run "
              + (repetition + 1)
              + " failed (exit "
              + exit
              + "), see "
              + local.logFile()
              + ":\n"
              + tail(local.logText()));
    }
    long millis = Long.parseLong(runtime.group(1));
    profiling.summarise(run, List.of("local"), PROFILE_TOP_FRAMES);

    JvmProcess verify =
        JvmProcess.startWithClasspath(
            "flink-verify",
            "io.baton.flinkbench.FlinkLedger",
            FlinkClasspath.classpath(),
            logs,
            List.of("-Xmx1g"),
            List.of(
                "--verify",
                output.toString(),
                "--events",
                Long.toString(EVENTS),
                "--keys",
                Integer.toString(KEYS)));
    processes.add(verify);
    int verifyExit = verify.awaitExit(Duration.ofMinutes(5));
    Matcher verdict = FLINK_VERDICT.matcher(verify.logText());
    if (verifyExit != 0 || !verdict.find() || !verdict.group().equals(exactFlinkVerdict())) {
      throw new AssertionError(
          "Flink run "
              + (repetition + 1)
              + " wrote inexact output (exit "
              + verifyExit
              + "): "
              + tail(verify.logText()));
    }
    long peak = GcLog.peakHeapMiB(gcLog(logs, "flink-local"));
    return new Run(
        millis, peak, Long.toString(peak), cpuTicks / ProcessReadings.clockTicksPerSecond());
  }

  /** The last CPU reading of a process before it exits (it is gone from /proc after). */
  private static long cpuTicksUntilExit(long pid, Duration deadline) throws Exception {
    ProcessHandle process = ProcessHandle.of(pid).orElse(null);
    long ticks = 0;
    long end = System.nanoTime() + deadline.toNanos();
    while (process != null && process.isAlive() && System.nanoTime() < end) {
      try {
        ticks = ProcessReadings.cpuTicks(pid);
      } catch (IOException | RuntimeException gone) {
        break;
      }
      try {
        process.onExit().get(100, TimeUnit.MILLISECONDS);
      } catch (TimeoutException stillRunning) {
        // read again
      }
    }
    return ticks;
  }

  private static String cpu(List<Run> runs) {
    return String.join(
        ", ",
        runs.stream().map(r -> String.format(Locale.ROOT, "%.1f s", r.cpuSeconds())).toList());
  }

  /** Copies a failed run's logs out of the temporary directory, which the test deletes. */
  private static Path keepLogs(Path logs, String run) throws IOException {
    Path kept = ComparisonReport.DIRECTORY.resolve("throughput-logs").resolve(run).toAbsolutePath();
    Files.createDirectories(kept);
    try (var files = Files.list(logs)) {
      for (Path file : files.toList()) {
        Files.copy(file, kept.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return kept;
  }

  private static String exactFlinkVerdict() {
    return "lost=0 duplicated=0 wrong_final_balances=0";
  }

  private void closeAll() throws Exception {
    for (JvmProcess p : processes) {
      p.close();
    }
    processes.clear();
  }

  private static Path gcLog(Path logs, String name) {
    return logs.resolve(name + "-gc.log");
  }

  private static Run median(List<Run> runs, Comparator<Run> order) {
    List<Run> sorted = runs.stream().sorted(order).toList();
    return sorted.get(sorted.size() / 2);
  }

  private static String rates(List<Run> runs) {
    return String.join(
        ", ",
        runs.stream()
            .map(
                r -> String.format(Locale.ROOT, "%,.0f (%,d ms)", r.recordsPerSecond(), r.millis()))
            .toList());
  }

  private static String heaps(List<Run> runs) {
    return String.join("; ", runs.stream().map(r -> r.heapDetail() + " MiB").toList());
  }

  private static String range(List<Run> runs, boolean rate) {
    if (rate) {
      double min = runs.stream().mapToDouble(Run::recordsPerSecond).min().orElseThrow();
      double max = runs.stream().mapToDouble(Run::recordsPerSecond).max().orElseThrow();
      return String.format(Locale.ROOT, "%,.0f-%,.0f records/s", min, max);
    }
    long min = runs.stream().mapToLong(Run::peakHeapMiB).min().orElseThrow();
    long max = runs.stream().mapToLong(Run::peakHeapMiB).max().orElseThrow();
    return min + "-" + max + " MiB";
  }

  private static String tail(String text) {
    return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
