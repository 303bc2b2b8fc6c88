package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.common.config.Configuration;
import io.baton.common.config.JobManagerOptions;
import io.baton.common.config.RestOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Figures of the runtime: Ledger throughput and each process's peak heap, and the time from
 * submission to all tasks RUNNING for a job of 200 subtasks. Every process is a JVM of its own,
 * started from the build. Reports to stdout and {@code it/target/benchmark-runtime.md}; asserts
 * only that the runs were correct. Run with {@code bin/benchmark.sh} (see the README).
 */
class RuntimeBenchmark {
  private static final String HEAP = "-Xmx1g";
  private static final long EVENTS = Long.getLong("benchmark.events", 10_000_000L);

  @TempDir Path workDir;
  private final List<JvmProcess> processes = new ArrayList<>();
  private final StringBuilder report = new StringBuilder();

  @AfterEach
  void tearDown() throws Exception {
    for (JvmProcess p : processes) {
      p.close();
    }
    Path out = Path.of("target", "benchmark-runtime.md");
    Files.createDirectories(out.getParent());
    Files.writeString(
        out,
        report.toString(),
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    System.out.println(report);
  }

  /** One Ledger run: when all tasks ran, how long they ran, and the verifier's verdict. */
  private record LedgerRun(Instant submitted, Instant allRunning, double seconds, String verified) {
    double recordsPerSecond() {
      return EVENTS / seconds;
    }
  }

  private LedgerRun runLedger(RestApi rest, String name, int keys, String... extraArgs)
      throws Exception {
    Path output = workDir.resolve(name);
    List<String> args =
        new ArrayList<>(
            List.of(
                "ledger",
                "--events",
                Long.toString(EVENTS),
                "--keys",
                Integer.toString(keys),
                "--rate",
                "0",
                "--output",
                output.toString()));
    args.addAll(List.of(extraArgs));
    Instant submitted = Instant.now();
    String jobId = rest.submit(TestJars.examplesJar(), 2, args.toArray(String[]::new));
    Instant allRunning = awaitAllRunning(rest, jobId, Duration.ofMinutes(2));
    Awaits.jobState(rest, jobId, "FINISHED", Duration.ofMinutes(30));
    long endMillis = rest.getOk("/jobs/" + jobId).get("end-time").asLong();
    double seconds = (endMillis - allRunning.toEpochMilli()) / 1000.0;
    LedgerVerifier.Result verified = LedgerVerifier.verify(output, EVENTS, keys);
    assertThat(verified.output()).isEqualTo("lost=0 duplicated=0");
    return new LedgerRun(submitted, allRunning, seconds, verified.output());
  }

  @Test
  void ledgerWithAndWithoutCheckpoints() throws Exception {
    RestApi rest = startCluster(2, 2);
    runLedger(rest, "warm-up", 1000); // JIT and class loading, not reported
    List<Double> plain = new ArrayList<>();
    List<Double> checkpointed = new ArrayList<>();
    for (int pair = 0; pair < 2; pair++) {
      plain.add(runLedger(rest, "plain-" + pair, 1000).recordsPerSecond());
      checkpointed.add(
          runLedger(rest, "checkpointed-" + pair, 1000, "--checkpoint-interval", "1000")
              .recordsPerSecond());
    }
    double plainBest = plain.stream().mapToDouble(d -> d).max().orElseThrow();
    double checkpointedBest = checkpointed.stream().mapToDouble(d -> d).max().orElseThrow();
    report.append(
        "## Ledger with checkpoints every second against none (same cluster, alternating, after a warm-up run)\n\n");
    report.append("| run | records/s, each run | best |\n|---|---|---|\n");
    report.append(
        row(
            "no checkpoints",
            perSecond(plain) + " | " + String.format(Locale.ROOT, "%,.0f", plainBest)));
    report.append(
        row(
            "checkpoint every 1 s (file://)",
            perSecond(checkpointed)
                + " | "
                + String.format(Locale.ROOT, "%,.0f", checkpointedBest)));
    report
        .append("\nThroughput with checkpoints / without (best against best): ")
        .append(String.format(Locale.ROOT, "%.2f", checkpointedBest / plainBest))
        .append(" (")
        .append(EVENTS)
        .append(" events, 1000 keys, parallelism 2, every run verified lost=0 duplicated=0).\n\n")
        .append(machine())
        .append("\n");
  }

  private static String perSecond(List<Double> values) {
    return String.join(
        ", ", values.stream().map(v -> String.format(Locale.ROOT, "%,.0f", v)).toList());
  }

  @Test
  void ledgerThroughputAndPeakHeap() throws Exception {
    RestApi rest = startCluster(2, 2);
    int keys = 1000;
    LedgerRun run = runLedger(rest, "ledger-out", keys);
    Instant submitted = run.submitted();
    Instant allRunning = run.allRunning();
    double seconds = run.seconds();

    report
        .append("## Ledger throughput (")
        .append(EVENTS)
        .append(" events, ")
        .append(keys)
        .append(" keys, parallelism 2, 1 JobManager + 2 TaskManagers x 2 slots, ")
        .append(HEAP)
        .append(" each, no checkpoints)\n\n");
    report.append("| figure | value |\n|---|---|\n");
    report.append(row("submission → all tasks RUNNING", millis(submitted, allRunning) + " ms"));
    report.append(
        row("all tasks RUNNING → FINISHED", String.format(Locale.ROOT, "%.1f s", seconds)));
    report.append(
        row(
            "records/s (events / running time)",
            String.format(Locale.ROOT, "%,.0f", EVENTS / seconds)));
    report.append(row("verification", run.verified()));
    for (JvmProcess p : processes) {
      Path gc = gcLog(p.name());
      report.append(
          row(
              "peak heap " + p.name() + " (before-GC maximum, " + GcLog.collections(gc) + " GCs)",
              GcLog.peakHeapMiB(gc) + " MiB"));
    }
    report.append("\n").append(machine()).append("\n");
  }

  @Test
  void timeToRunningFor200Subtasks() throws Exception {
    RestApi rest = startCluster(2, 50);
    List<Long> samples = new ArrayList<>();
    for (int run = 0; run < 5; run++) {
      Instant submitted = Instant.now();
      // Ledger at parallelism 100: 100 source and 100 keyed subtasks
      String jobId =
          rest.submit(
              TestJars.examplesJar(),
              100,
              "ledger",
              "--events",
              "1000000000",
              "--keys",
              "100",
              "--rate",
              "100",
              "--output",
              workDir.resolve("sched-" + run).toString());
      Instant running = awaitAllRunning(rest, jobId, Duration.ofMinutes(2));
      samples.add(millis(submitted, running));
      assertThat(rest.getOk("/jobs/" + jobId).get("vertices").get(0).get("parallelism").asInt())
          .isEqualTo(100);
      assertThat(rest.patch("/jobs/" + jobId + "?mode=cancel").status()).isEqualTo(202);
      Awaits.jobState(rest, jobId, "CANCELED", Duration.ofMinutes(1));
    }
    report.append("## Scheduling: upload + run of a 200-subtask job → all 200 tasks RUNNING\n\n");
    report.append(
        "(2 TaskManagers x 50 slots; the time includes the jar upload and running main() on the JobManager;"
            + " polled every 10 ms)\n\n");
    report.append("| run | ms |\n|---|---|\n");
    for (int i = 0; i < samples.size(); i++) {
      report.append(row(Integer.toString(i + 1), Long.toString(samples.get(i))));
    }
    List<Long> sorted = samples.stream().sorted().toList();
    report.append(row("median", Long.toString(sorted.get(sorted.size() / 2))));
    report.append("\n").append(machine()).append("\n");
  }

  private RestApi startCluster(int taskManagers, int slots) throws Exception {
    int rpcPort = freePort();
    int restPort = freePort();
    Configuration jm =
        ClusterConfigs.jobManager(workDir)
            .set(JobManagerOptions.PORT, rpcPort)
            .set(RestOptions.PORT, restPort)
            .setString("parallelism.max", "1024")
            .setString("state.checkpoints.dir", workDir.resolve("checkpoints").toUri().toString());
    processes.add(start("jobmanager", "io.baton.coordinator.JobManagerEntrypoint", jm));
    for (int i = 0; i < taskManagers; i++) {
      processes.add(
          start(
              "taskmanager-" + i,
              "io.baton.taskmanager.TaskManagerEntrypoint",
              ClusterConfigs.taskManager(workDir, rpcPort, slots, "tm" + i)));
    }
    RestApi rest = new RestApi("127.0.0.1", restPort);
    Awaits.until(
        "cluster up",
        Duration.ofSeconds(60),
        () -> rest.getOk("/overview").get("taskmanagers").asInt() == taskManagers);
    return rest;
  }

  private JvmProcess start(String name, String mainClass, Configuration config) throws IOException {
    Files.createDirectories(workDir.resolve("conf"));
    List<String> args = new ArrayList<>(List.of("--configDir", workDir.resolve("conf").toString()));
    args.addAll(ClusterConfigs.asDynamicProperties(config));
    return JvmProcess.start(
        name,
        mainClass,
        workDir.resolve("logs"),
        List.of(HEAP, "-Xlog:gc:file=" + gcLog(name)),
        args);
  }

  private Path gcLog(String name) {
    return workDir.resolve("logs").resolve(name + "-gc.log");
  }

  private static Instant awaitAllRunning(RestApi rest, String jobId, Duration deadline) {
    long stop = System.nanoTime() + deadline.toNanos();
    while (System.nanoTime() < stop) {
      try {
        JsonNode tasks = findTasks(rest, jobId);
        if (tasks != null
            && tasks.get("running").asInt() == tasks.get("total").asInt()
            && tasks.get("total").asInt() > 0) {
          return Instant.now();
        }
      } catch (RuntimeException notYet) {
        // the job may not be listed yet
      }
      java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
    }
    throw new AssertionError("job " + jobId + " not all RUNNING within " + deadline);
  }

  private static JsonNode findTasks(RestApi rest, String jobId) {
    for (JsonNode j : rest.getOk("/jobs/overview").get("jobs")) {
      if (j.get("jid").asText().equals(jobId)) {
        return j.get("tasks");
      }
    }
    return null;
  }

  private static long millis(Instant from, Instant to) {
    return Duration.between(from, to).toMillis();
  }

  private static String row(String a, String b) {
    return "| " + a + " | " + b + " |\n";
  }

  static String machine() {
    return "Machine: "
        + Runtime.getRuntime().availableProcessors()
        + " cores, "
        + (Runtime.getRuntime().maxMemory() >> 20)
        + " MiB max heap of the test JVM, Java "
        + System.getProperty("java.version")
        + ", "
        + System.getProperty("os.name")
        + " "
        + System.getProperty("os.arch")
        + ".\n";
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
