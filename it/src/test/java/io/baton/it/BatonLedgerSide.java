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
import java.util.List;

/**
 * Baton's side of a Ledger comparison: starts a JobManager and the shape's TaskManagers, each a JVM
 * with a G1 GC log, submits the job over REST, waits for FINISHED, reads CPU and peak heap of every
 * JVM and verifies the output exactly-once with {@code ledger --verify}. Closing stops every JVM it
 * started.
 */
final class BatonLedgerSide implements LedgerSide {
  // Flink's defaults; the tests' 3 s timeout loses a TaskManager on a machine busy with other work
  static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(10);
  static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(50);
  private static final Duration RUN_DEADLINE = Duration.ofMinutes(30);
  private static final int PROFILE_TOP_FRAMES = 25;

  private final List<String> heap;
  private final JfrProfiling profiling;
  private final Path jobJar;
  private final List<JvmProcess> processes = new ArrayList<>();

  /**
   * @param heap the heap options of every JVM
   * @param jobJar the examples jar, or the jar of {@link LatencyLedgerJob} for latency runs
   */
  BatonLedgerSide(List<String> heap, JfrProfiling profiling, Path jobJar) {
    this.heap = List.copyOf(heap);
    this.profiling = profiling;
    this.jobJar = jobJar;
  }

  @Override
  public String name() {
    return "baton";
  }

  @Override
  public SideRun run(LedgerShape shape, LedgerWorkload workload, Path dir, String run)
      throws Exception {
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
    start(dir, "jobmanager", "io.baton.coordinator.JobManagerEntrypoint", jm, List.of());
    List<String> taskManagers = new ArrayList<>();
    for (int i = 0; i < shape.batonTaskManagers(); i++) {
      String name = "taskmanager-" + i;
      taskManagers.add(name);
      start(
          dir,
          name,
          "io.baton.taskmanager.TaskManagerEntrypoint",
          ClusterConfigs.taskManager(dir, rpcPort, shape.batonSlots(), "tm" + i)
              .set(HeartbeatOptions.INTERVAL, HEARTBEAT_INTERVAL)
              .set(HeartbeatOptions.TIMEOUT, HEARTBEAT_TIMEOUT),
          profiling.jvmOptions(run, name));
    }
    RestApi rest = new RestApi("127.0.0.1", restPort);
    try {
      Awaits.until(
          "Baton cluster up (JobManager REST and "
              + taskManagers.size()
              + " TaskManagers, logs in "
              + logs
              + ")",
          Duration.ofMinutes(2),
          () -> rest.getOk("/overview").get("taskmanagers").asInt() == taskManagers.size());
    } catch (RuntimeException | AssertionError e) {
      throw new AssertionError("the Baton cluster did not start: see the logs in " + logs, e);
    }
    IdleHeap idleHeap = IdleHeap.read(processes);
    Path output = dir.resolve("ledger-out");
    String jobId =
        rest.submit(
            jobJar,
            workload.parallelism(),
            workload.batonArguments(output, dir.resolve("histograms")).toArray(String[]::new));
    try {
      Awaits.jobState(rest, jobId, "FINISHED", RUN_DEADLINE);
    } catch (AssertionError | RuntimeException e) {
      close();
      throw new AssertionError("Baton " + run + " failed; its logs: " + keepLogs(logs, run), e);
    }
    var job = rest.getOk("/jobs/" + jobId);
    long millis = job.get("end-time").asLong() - job.get("start-time").asLong();
    long cpuTicks = 0;
    for (JvmProcess p : processes) {
      cpuTicks += ProcessReadings.cpuTicks(p.pid());
    }
    List<JvmProcess> cluster = List.copyOf(processes);
    close();
    profiling.summarise(run, taskManagers, PROFILE_TOP_FRAMES);

    LedgerVerifier.Result verdict =
        LedgerVerifier.verify(output, workload.events(), workload.keys());
    if (verdict.exitCode() != 0 || !verdict.output().equals("lost=0 duplicated=0")) {
      throw new AssertionError("Baton " + run + " wrote inexact output: " + verdict.output());
    }
    return new SideRun(
        millis,
        PeakHeaps.sum(cluster, p -> gcLog(logs, p.name())),
        PeakHeaps.detail(cluster, p -> gcLog(logs, p.name())),
        cpuTicks / ProcessReadings.clockTicksPerSecond(),
        idleHeap);
  }

  private void start(
      Path dir, String name, String mainClass, Configuration config, List<String> profile)
      throws IOException {
    Files.createDirectories(dir.resolve("conf"));
    List<String> args = new ArrayList<>(List.of("--configDir", dir.resolve("conf").toString()));
    args.addAll(ClusterConfigs.asDynamicProperties(config));
    List<String> jvm = new ArrayList<>(heap);
    jvm.add("-Xlog:gc:file=" + gcLog(dir.resolve("logs"), name));
    jvm.addAll(profile);
    processes.add(JvmProcess.start(name, mainClass, dir.resolve("logs"), jvm, args));
  }

  /** Copies a failed run's logs out of the temporary directory, which the test deletes. */
  private static Path keepLogs(Path logs, String run) throws IOException {
    Path kept = ComparisonReport.DIRECTORY.resolve("ledger-logs").resolve(run).toAbsolutePath();
    Files.createDirectories(kept);
    try (var files = Files.list(logs)) {
      for (Path file : files.toList()) {
        Files.copy(file, kept.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return kept;
  }

  private static Path gcLog(Path logs, String name) {
    return logs.resolve(name + "-gc.log");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Stops every JVM this side started (TaskManagers first). */
  @Override
  public void close() throws Exception {
    Exception failure = null;
    for (int i = processes.size() - 1; i >= 0; i--) {
      try {
        processes.get(i).close();
      } catch (Exception e) {
        failure = e;
      }
    }
    processes.clear();
    if (failure != null) {
      throw failure;
    }
  }
}
