package io.baton.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.common.config.Configuration;
import io.baton.common.config.HeartbeatOptions;
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
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Time from submission (jar upload + run over REST) to all subtasks RUNNING, for jobs of 10, 100,
 * 500 and 2,000 subtasks, on a Baton session cluster and an Apache Flink session cluster of the
 * same shape (a JobManager and two TaskManagers, each a JVM), both up side by side, runs
 * alternating Baton, Flink, Baton, ... Writes the {@code scheduling} part of the side-by-side
 * table; a size at which a side's job fails or does not get all RUNNING is reported as not
 * measured, with the reason, and the other sizes still run.
 *
 * <p>Settings: {@code -Dbenchmark.scheduling.sizes} (default {@code 10,100,500,2000} subtasks, each
 * even; the TaskManagers get the slots of the largest), {@code -Dbenchmark.scheduling.runs}
 * (measured runs per size and side, default 5; one warm-up run per size and side comes first and is
 * not counted).
 */
class FlinkSchedulingBenchmark {
  private static final List<Integer> SIZES =
      Arrays.stream(System.getProperty("benchmark.scheduling.sizes", "10,100,500,2000").split(","))
          .map(String::trim)
          .map(Integer::parseInt)
          .toList();
  private static final int RUNS = Integer.getInteger("benchmark.scheduling.runs", 5);
  private static final int TASK_MANAGERS = 2;
  private static final String HEAP = "-Xmx1g";
  private static final Duration RUNNING_DEADLINE = Duration.ofMinutes(3);
  private static final Duration CANCEL_DEADLINE = Duration.ofMinutes(2);
  // Flink's defaults, on both sides: hundreds of tasks starting on a loaded 2-core machine can
  // stall a TaskManager for longer than the test clusters' 3 s heartbeat timeout
  private static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(10);
  private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(50);
  private static final Duration FLINK_ASK_TIMEOUT = Duration.ofSeconds(60);

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
            // two tasks per slot need about 0.4 MiB of Flink's network buffers (32 KiB each): its
            // default 128m fails a job of more than about 300 slots per TaskManager
            .setting("taskmanager.memory.network.min", flinkNetworkMemory(slots))
            .setting("taskmanager.memory.network.max", flinkNetworkMemory(slots))
            // Flink sends every submission at once; a TaskManager's 1,000th waits past the
            // default 10 s and fails the job, so a Flink operator raises the RPC timeout
            .setting("pekko.ask.timeout", FLINK_ASK_TIMEOUT.toSeconds() + " s")
            .setting("heartbeat.interval", Long.toString(HEARTBEAT_INTERVAL.toMillis()))
            .setting("heartbeat.timeout", Long.toString(HEARTBEAT_TIMEOUT.toMillis()))
            .start();
    Path flinkJar = FlinkClasspath.benchmarkJar();

    Side batonSide =
        subtasks -> {
          Instant submitted = Instant.now();
          String jobId = baton.submit(batonJar, subtasks / 2, "--rate-per-subtask", "10");
          Instant running;
          try {
            running = awaitAllRunning(baton, jobId, subtasks, "Baton");
          } finally {
            cancelBaton(baton, jobId);
          }
          return Duration.between(submitted, running).toMillis();
        };
    Side flinkSide =
        subtasks -> {
          try {
            Instant submitted = Instant.now();
            String jobId =
                flink.submit(
                    flinkJar,
                    "io.baton.flinkbench.SchedulingJob",
                    subtasks / 2,
                    List.of("--rate-per-subtask", "10"));
            Instant running;
            try {
              running = awaitAllRunning(flink.rest(), jobId, subtasks, "Flink");
            } finally {
              cancelFlink(jobId);
            }
            return Duration.between(submitted, running).toMillis();
          } catch (Exception | AssertionError e) {
            // the work directory goes with the test: keep what the Flink processes said
            for (JvmProcess p : flink.processes()) {
              System.err.println("--- " + p.name() + " (its exceptions and causes) ---");
              p.logText()
                  .lines()
                  .filter(l -> !l.startsWith("\t") && l.matches(".*(Exception|Error|Caused by).*"))
                  .distinct()
                  .limit(30)
                  .forEach(System.err::println);
            }
            throw e;
          }
        };

    Map<Integer, Series> batonSeries = new LinkedHashMap<>();
    Map<Integer, Series> flinkSeries = new LinkedHashMap<>();
    for (int size : SIZES) {
      Series b = new Series();
      Series f = new Series();
      batonSeries.put(size, b);
      flinkSeries.put(size, f);
      // run 0 is the warm-up; after a failed run no side goes on at this size: a job that could
      // not be cancelled leaves its cluster busy, and a run beside it would measure the machine
      for (int run = 0; run <= RUNS && b.failure == null && f.failure == null; run++) {
        b.measure(batonSide, size, run);
        if (b.failure == null) {
          f.measure(flinkSide, size, run);
        }
      }
    }

    ComparisonReport report = new ComparisonReport("scheduling");
    for (int size : SIZES) {
      Series b = batonSeries.get(size);
      Series f = flinkSeries.get(size);
      String benchmark = "submission → all tasks RUNNING, " + size + " subtasks";
      String measure = "ms (median of " + RUNS + ")";
      if (b.failure == null && f.failure == null) {
        report.row(benchmark, measure, median(b.times), median(f.times));
      } else {
        report.rowWithout(
            benchmark,
            measure,
            figure(b),
            figure(f),
            "not measured: "
                + (b.failure != null ? "Baton " + b.failure : "")
                + (b.failure != null && f.failure != null ? "; " : "")
                + (f.failure != null ? "Flink " + f.failure : ""));
      }
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
                + " memory "
                + flinkNetworkMemory(slots)
                + " (1 MiB per slot, at least 128m), pekko.ask.timeout "
                + FLINK_ASK_TIMEOUT.toSeconds()
                + " s (its default 10 s fails a job of 2,000 subtasks: the TaskManager's last"
                + " submissions time out in its queue; Baton keeps at most 32 unanswered per"
                + " TaskManager), taskmanager.load-balance.mode SLOTS (slots spread evenly, as"
                + " Baton does), web.refresh-interval 10 ms (Flink's REST API caches a job's"
                + " state that long; the default 3 s would add up to 3 s to Flink's figures);"
                + " heartbeats on both: interval "
                + HEARTBEAT_INTERVAL.toSeconds()
                + " s, timeout "
                + HEARTBEAT_TIMEOUT.toSeconds()
                + " s (Flink's defaults)")
        .setting(
            "time = from just before POST /jars/upload to the first poll (GET /jobs/{id} every"
                + " 10 ms) in which every vertex reports all its subtasks RUNNING; it includes"
                + " the jar upload and running the job's main() on the JobManager on both"
                + " sides; after each run the job is cancelled and the next starts once it is"
                + " CANCELED and every slot is free")
        .setting(
            "per size: one warm-up run per side first (not counted), then "
                + RUNS
                + " run(s) per side alternating Baton, Flink, Baton, ...; a failed run ends"
                + " both sides' runs at its size (a job left cancelling would slow the other"
                + " side's next run); each run in ms: "
                + perSize(batonSeries, flinkSeries))
        .write();
  }

  /** 1 MiB of network memory per slot, at least Flink's 128m. */
  private static String flinkNetworkMemory(int slots) {
    return Math.max(128, slots) + "m";
  }

  private RestApi startBaton(int slots) throws Exception {
    Path dir = workDir.resolve("baton");
    int rpcPort = freePort();
    int restPort = freePort();
    Configuration jm =
        ClusterConfigs.jobManager(dir)
            .set(JobManagerOptions.PORT, rpcPort)
            .set(RestOptions.PORT, restPort)
            .setString("parallelism.max", "1024")
            .set(HeartbeatOptions.INTERVAL, HEARTBEAT_INTERVAL)
            .set(HeartbeatOptions.TIMEOUT, HEARTBEAT_TIMEOUT);
    batonProcesses.add(
        startBaton(dir, "jobmanager", "io.baton.coordinator.JobManagerEntrypoint", jm));
    for (int i = 0; i < TASK_MANAGERS; i++) {
      batonProcesses.add(
          startBaton(
              dir,
              "taskmanager-" + i,
              "io.baton.taskmanager.TaskManagerEntrypoint",
              ClusterConfigs.taskManager(dir, rpcPort, slots, "tm" + i)
                  .set(HeartbeatOptions.INTERVAL, HEARTBEAT_INTERVAL)
                  .set(HeartbeatOptions.TIMEOUT, HEARTBEAT_TIMEOUT)));
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
    FlinkSessionCluster.AllRunning running =
        FlinkSessionCluster.pollUntilAllRunning(
            rest,
            side + " job " + jobId + " of " + subtasks + " subtasks",
            jobId,
            RUNNING_DEADLINE);
    JsonNode job = running.job();
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
              + running.text());
    }
    return running.at();
  }

  /** Cancels the job unless it already ended, then waits until every slot is free. */
  private static void cancelBaton(RestApi rest, String jobId) {
    cancelAndAwaitFreeSlots("Baton", rest, jobId);
  }

  private void cancelFlink(String jobId) {
    cancelAndAwaitFreeSlots("Flink", flink.rest(), jobId);
  }

  /**
   * Cancels the job unless it already ended and waits until it ended and every slot is free. Every
   * request is inside the wait: a JobManager busy with 2,000 tasks may let one request time out,
   * and the deadline decides, not one request (a cancel sent twice is still one cancel).
   */
  private static void cancelAndAwaitFreeSlots(String side, RestApi rest, String jobId) {
    AtomicBoolean accepted = new AtomicBoolean();
    Awaits.until(
        side + " job " + jobId + " ended",
        CANCEL_DEADLINE,
        () -> {
          if (isTerminal(rest.jobState(jobId))) {
            return true;
          }
          if (!accepted.get()) {
            accepted.set(rest.patch("/jobs/" + jobId + "?mode=cancel").status() == 202);
          }
          return false;
        });
    Awaits.until(
        "all " + side + " slots free",
        CANCEL_DEADLINE,
        () -> {
          JsonNode o = rest.getOk("/overview");
          return o.get("slots-available").asInt() == o.get("slots-total").asInt();
        });
  }

  private static boolean isTerminal(String state) {
    return state.equals("FAILED") || state.equals("CANCELED") || state.equals("FINISHED");
  }

  /**
   * A side's figure where the other side failed: its median over the runs it made before the series
   * ended, "not run" when it ended before a measured run, or "failed".
   */
  private static String figure(Series series) {
    if (series.failure != null) {
      return "failed";
    }
    if (series.times.isEmpty()) {
      return "not run";
    }
    String median = String.format(Locale.ROOT, "%,d", median(series.times));
    return series.times.size() < RUNS ? median + " (" + series.times.size() + " run(s))" : median;
  }

  private static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  private static String perSize(Map<Integer, Series> baton, Map<Integer, Series> flink) {
    return SIZES.stream()
        .map(size -> size + " subtasks: Baton " + baton.get(size) + "; Flink " + flink.get(size))
        .collect(Collectors.joining("; "));
  }

  /**
   * One side's runs at one size: the warm-up, the measured times, or why it stopped. A run that
   * fails (a job that fails or does not reach RUNNING in time) ends the series; the table says so
   * instead of giving a figure.
   */
  private static final class Series {
    private Long warmUp;
    private final List<Long> times = new ArrayList<>();
    private String failure;

    void measure(Side side, int subtasks, int run) {
      if (failure != null) {
        return;
      }
      try {
        long millis = side.submitAndAwaitRunning(subtasks);
        if (run == 0) {
          warmUp = millis;
        } else {
          times.add(millis);
        }
      } catch (Exception | AssertionError e) {
        failure = "run " + run + " failed: " + reason(e);
        System.err.println("scheduling, " + subtasks + " subtasks: " + failure);
        e.printStackTrace();
      }
    }

    /** One line: a failed job's failure cause (up to its stack trace), else the message. */
    private static String reason(Throwable e) {
      String message = String.valueOf(e.getMessage());
      if (e.getCause() != null) {
        message = message + " (" + e.getCause() + ")";
      }
      String key = "\"failure-cause\":\"";
      int cause = message.indexOf(key);
      String reason = cause >= 0 ? message.substring(cause + key.length()) : message;
      int end = reason.indexOf("\\n");
      reason = end >= 0 ? reason.substring(0, end) : reason.lines().findFirst().orElse("");
      reason = reason.replace('|', '/');
      return reason.length() > 300 ? reason.substring(0, 300) + "..." : reason;
    }

    @Override
    public String toString() {
      return "warm-up "
          + (warmUp == null ? "-" : warmUp)
          + ", runs "
          + join(times)
          + (failure == null ? "" : " (" + failure + ")");
    }
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
