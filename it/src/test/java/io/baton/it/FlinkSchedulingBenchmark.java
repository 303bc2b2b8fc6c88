package io.baton.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.common.config.Configuration;
import io.baton.common.config.JobManagerOptions;
import io.baton.common.config.RestOptions;
import io.baton.it.jobs.SchedulingJob;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Time from submission (jar upload + run over REST) to all subtasks RUNNING, for jobs of 10, 100
 * and 500 subtasks, on a Baton session cluster and an Apache Flink session cluster of the same
 * shape (a JobManager and two TaskManagers, each a JVM), both up side by side, runs alternating
 * Baton, Flink, Baton, ... Writes the {@code scheduling} part of the side-by-side table.
 *
 * <p>Settings: {@code -Dbenchmark.scheduling.sizes} (default {@code 10,100,500} subtasks, each
 * even), {@code -Dbenchmark.scheduling.runs} (measured runs per size and side, default 5; one
 * warm-up run per size and side comes first and is not counted).
 */
class FlinkSchedulingBenchmark {
  private static final List<Integer> SIZES =
      Arrays.stream(System.getProperty("benchmark.scheduling.sizes", "10,100,500").split(","))
          .map(String::trim)
          .map(Integer::parseInt)
          .toList();
  private static final int RUNS = Integer.getInteger("benchmark.scheduling.runs", 5);
  private static final int TASK_MANAGERS = 2;
  private static final String HEAP = "-Xmx1g";
  private static final Duration RUNNING_DEADLINE = Duration.ofMinutes(3);
  private static final Duration CANCEL_DEADLINE = Duration.ofMinutes(2);

  @TempDir Path workDir;
  private final List<JvmProcess> batonProcesses = new ArrayList<>();
  private FlinkSessionCluster flink;

  @AfterEach
  void tearDown() throws Exception {
    for (JvmProcess p : batonProcesses) {
      p.close();
    }
    if (flink != null) {
      flink.close();
    }
  }

  /** Submits a job of some subtasks and returns when all of them were first seen RUNNING. */
  private interface Side {
    long submitAndAwaitRunning(int subtasks) throws Exception;
  }

  @Test
  void submissionToAllRunning() throws Exception {
    for (int size : SIZES) {
      if (size < 2 || size % 2 != 0) {
        throw new IllegalArgumentException(
            "benchmark.scheduling.sizes: " + size + " is not an even number of subtasks >= 2");
      }
    }
    int largest = SIZES.stream().mapToInt(Integer::intValue).max().orElseThrow();
    // slot sharing: a job needs as many slots as its parallelism, half its subtasks
    int slots = (largest / 2 + TASK_MANAGERS - 1) / TASK_MANAGERS;

    RestApi baton = startBaton(slots);
    Path batonJar =
        TestJars.jar(workDir, "scheduling-job.jar", SchedulingJob.class, SchedulingJob.class);
    flink =
        FlinkSessionCluster.builder(workDir.resolve("flink"))
            .taskManagers(TASK_MANAGERS)
            .slotsPerTaskManager(slots)
            .start();
    Path flinkJar = FlinkClasspath.benchmarkJar();

    Side batonSide =
        subtasks -> {
          Instant submitted = Instant.now();
          String jobId = baton.submit(batonJar, subtasks / 2, "--rate-per-subtask", "10");
          Instant running = awaitAllRunning(baton, jobId, subtasks, "Baton");
          cancelBaton(baton, jobId);
          return Duration.between(submitted, running).toMillis();
        };
    Side flinkSide =
        subtasks -> {
          Instant submitted = Instant.now();
          String jobId =
              flink.submit(
                  flinkJar,
                  "io.baton.flinkbench.SchedulingJob",
                  subtasks / 2,
                  List.of("--rate-per-subtask", "10"));
          Instant running = awaitAllRunning(flink.rest(), jobId, subtasks, "Flink");
          flink.cancel(jobId, CANCEL_DEADLINE);
          return Duration.between(submitted, running).toMillis();
        };

    Map<Integer, Long> batonWarmUp = new LinkedHashMap<>();
    Map<Integer, Long> flinkWarmUp = new LinkedHashMap<>();
    Map<Integer, List<Long>> batonTimes = new LinkedHashMap<>();
    Map<Integer, List<Long>> flinkTimes = new LinkedHashMap<>();
    for (int size : SIZES) {
      batonWarmUp.put(size, batonSide.submitAndAwaitRunning(size));
      flinkWarmUp.put(size, flinkSide.submitAndAwaitRunning(size));
      batonTimes.put(size, new ArrayList<>());
      flinkTimes.put(size, new ArrayList<>());
      for (int run = 1; run <= RUNS; run++) {
        batonTimes.get(size).add(batonSide.submitAndAwaitRunning(size));
        flinkTimes.get(size).add(flinkSide.submitAndAwaitRunning(size));
      }
    }

    ComparisonReport report = new ComparisonReport("scheduling");
    for (int size : SIZES) {
      report.row(
          "submission → all tasks RUNNING, " + size + " subtasks",
          "ms (median of " + RUNS + ")",
          median(batonTimes.get(size)),
          median(flinkTimes.get(size)));
    }
    report
        .setting(
            "job: endless generator source (10 records/s per subtask) → map with a discarding"
                + " sink chained to it, FORWARD, not chained: 2 vertices at parallelism"
                + " subtasks/2; Baton: io.baton.it.jobs.SchedulingJob in a jar of its own"
                + " (built by the test), Flink: io.baton.flinkbench.SchedulingJob in"
                + " baton-flink-benchmark.jar")
        .setting(
            "clusters, both up side by side for the whole run, on loopback: 1 JobManager + "
                + TASK_MANAGERS
                + " TaskManagers x "
                + slots
                + " slots, each a JVM. Baton, non-HA: "
                + HEAP
                + " each. Flink 1.20.1 StandaloneSessionClusterEntrypoint + TaskManagerRunner,"
                + " non-HA, JVM options as flink-dist's scripts derive them (JobManager "
                + String.join(" ", flink.jobManagerSpec().jvmOptions())
                + "; TaskManagers "
                + String.join(" ", flink.taskManagerSpec().jvmOptions())
                + "), jobmanager.memory.heap.size 1g, task heap 896m, managed memory 0, network"
                + " memory 128m, taskmanager.load-balance.mode SLOTS (slots spread evenly, as"
                + " Baton does), web.refresh-interval 10 ms (Flink's REST API caches a job's"
                + " state that long; the default 3 s would add up to 3 s to Flink's figures)")
        .setting(
            "time = from just before POST /jars/upload to the first poll (GET /jobs/{id} every"
                + " 10 ms) in which every vertex reports all its subtasks RUNNING; it includes"
                + " the jar upload and running the job's main() on the JobManager on both"
                + " sides; after each run the job is cancelled and the next starts once it is"
                + " CANCELED and every slot is free")
        .setting(
            "per size: one warm-up run per side first (not counted), then "
                + RUNS
                + " run(s) per side alternating Baton, Flink, Baton, ...; each run in ms: "
                + perSize(batonWarmUp, flinkWarmUp, batonTimes, flinkTimes))
        .write();
  }

  private RestApi startBaton(int slots) throws Exception {
    Path dir = workDir.resolve("baton");
    int rpcPort = freePort();
    int restPort = freePort();
    Configuration jm =
        ClusterConfigs.jobManager(dir)
            .set(JobManagerOptions.PORT, rpcPort)
            .set(RestOptions.PORT, restPort)
            .setString("parallelism.max", "1024");
    batonProcesses.add(
        startBaton(dir, "jobmanager", "io.baton.coordinator.JobManagerEntrypoint", jm));
    for (int i = 0; i < TASK_MANAGERS; i++) {
      batonProcesses.add(
          startBaton(
              dir,
              "taskmanager-" + i,
              "io.baton.taskmanager.TaskManagerEntrypoint",
              ClusterConfigs.taskManager(dir, rpcPort, slots, "tm" + i)));
    }
    RestApi rest = new RestApi("127.0.0.1", restPort);
    try {
      Awaits.until(
          "Baton cluster up",
          Duration.ofMinutes(2),
          () -> rest.getOk("/overview").get("taskmanagers").asInt() == TASK_MANAGERS);
    } catch (RuntimeException | AssertionError e) {
      throw new AssertionError(
          "the Baton cluster did not start: see the logs in " + dir.resolve("logs"), e);
    }
    return rest;
  }

  private static JvmProcess startBaton(
      Path dir, String name, String mainClass, Configuration config) throws IOException {
    Files.createDirectories(dir.resolve("conf"));
    List<String> args = new ArrayList<>(List.of("--configDir", dir.resolve("conf").toString()));
    args.addAll(ClusterConfigs.asDynamicProperties(config));
    return JvmProcess.start(name, mainClass, dir.resolve("logs"), List.of(HEAP), args);
  }

  /**
   * Polls {@code GET /jobs/<id>} every 10 ms until all subtasks are RUNNING (the same poll for both
   * sides: Baton's REST API has Flink's shape) and checks the job has the expected subtasks.
   */
  private static Instant awaitAllRunning(RestApi rest, String jobId, int subtasks, String side) {
    long stop = System.nanoTime() + RUNNING_DEADLINE.toNanos();
    String last = "no answer";
    while (System.nanoTime() < stop) {
      RestApi.Response r = rest.get("/jobs/" + jobId, Duration.ofSeconds(10));
      if (r.status() == 200 && r.body() != null) {
        JsonNode job = r.body();
        if (FlinkSessionCluster.allRunning(job)) {
          Instant now = Instant.now();
          int total = 0;
          for (JsonNode v : job.get("vertices")) {
            total += v.get("parallelism").asInt();
          }
          if (job.get("vertices").size() != 2 || total != subtasks) {
            throw new AssertionError(
                side
                    + " job "
                    + jobId
                    + " has not the expected 2 vertices of "
                    + subtasks / 2
                    + " subtasks: "
                    + r.text());
          }
          return now;
        }
        last = job.path("state").asText();
        if (last.equals("FAILED") || last.equals("CANCELED") || last.equals("FINISHED")) {
          throw new AssertionError(side + " job " + jobId + " ended " + last + ": " + r.text());
        }
      }
      LockSupport.parkNanos(10_000_000L);
    }
    throw new AssertionError(
        side
            + " job "
            + jobId
            + " of "
            + subtasks
            + " subtasks not all RUNNING within "
            + RUNNING_DEADLINE
            + " (last state "
            + last
            + ")");
  }

  private static void cancelBaton(RestApi rest, String jobId) {
    RestApi.Response r = rest.patch("/jobs/" + jobId + "?mode=cancel");
    if (r.status() != 202) {
      throw new AssertionError(
          "Baton cancel of " + jobId + " answered " + r.status() + ": " + r.text());
    }
    Awaits.jobState(rest, jobId, "CANCELED", CANCEL_DEADLINE);
    Awaits.until(
        "all Baton slots free",
        CANCEL_DEADLINE,
        () -> {
          JsonNode o = rest.getOk("/overview");
          return o.get("slots-available").asInt() == o.get("slots-total").asInt();
        });
  }

  private static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  private static String perSize(
      Map<Integer, Long> batonWarmUp,
      Map<Integer, Long> flinkWarmUp,
      Map<Integer, List<Long>> baton,
      Map<Integer, List<Long>> flink) {
    return SIZES.stream()
        .map(
            size ->
                size
                    + " subtasks: Baton warm-up "
                    + batonWarmUp.get(size)
                    + ", runs "
                    + join(baton.get(size))
                    + "; Flink warm-up "
                    + flinkWarmUp.get(size)
                    + ", runs "
                    + join(flink.get(size)))
        .collect(Collectors.joining("; "));
  }

  private static String join(List<Long> values) {
    return values.stream().map(String::valueOf).collect(Collectors.joining(", "));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
