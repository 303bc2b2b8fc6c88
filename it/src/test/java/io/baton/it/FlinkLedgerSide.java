package io.baton.it;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Apache Flink's side of a Ledger comparison, in the shape's Flink cluster: a local cluster (a
 * MiniCluster in the one JVM that runs {@code io.baton.flinkbench.LocalThroughputRun}) or a session
 * cluster ({@link FlinkSessionCluster}: a JobManager JVM and TaskManager JVMs, the job submitted
 * over REST as {@code io.baton.flinkbench.FlinkLedger}). Reads CPU and peak heap of every JVM and
 * verifies the output with {@code FlinkLedger --verify}. Closing stops every JVM it started.
 */
final class FlinkLedgerSide implements LedgerSide {
  private static final Duration RUN_DEADLINE = Duration.ofMinutes(30);
  private static final Pattern NET_RUNTIME = Pattern.compile("net_runtime_ms=(\\d+)");
  private static final Pattern VERDICT =
      Pattern.compile("lost=(\\d+) duplicated=(\\d+) wrong_final_balances=(\\d+)");
  private static final String EXACT = "lost=0 duplicated=0 wrong_final_balances=0";
  private static final int PROFILE_TOP_FRAMES = 25;

  private final List<String> heap;
  private final JfrProfiling profiling;
  private final List<JvmProcess> processes = new ArrayList<>();
  private FlinkSessionCluster session;

  /**
   * @param heap the heap options of the local cluster's JVM (a session cluster's JVMs get the sizes
   *     Flink derives from its memory settings, and the GC choice in {@code heap})
   */
  FlinkLedgerSide(List<String> heap, JfrProfiling profiling) {
    this.heap = List.copyOf(heap);
    this.profiling = profiling;
  }

  @Override
  public String name() {
    return "flink";
  }

  @Override
  public SideRun run(LedgerShape shape, LedgerWorkload workload, Path dir, String run)
      throws Exception {
    Path output = dir.resolve("ledger-out");
    List<String> args = workload.flinkArguments(output, dir.resolve("histograms"));
    SideRun measured =
        shape.flinkCluster() == LedgerShape.FlinkCluster.LOCAL
            ? runLocal(dir, args, run)
            : runSession(shape, workload, dir, args, run);
    close();
    verify(dir.resolve("logs"), output, workload, run);
    return measured;
  }

  private SideRun runLocal(Path dir, List<String> args, String run) throws Exception {
    Path logs = dir.resolve("logs");
    List<String> jvm = new ArrayList<>(heap);
    jvm.addAll(FlinkSessionCluster.JAVA_17_OPTIONS);
    jvm.add("-Xlog:gc:file=" + logs.resolve("flink-local-gc.log"));
    jvm.addAll(profiling.jvmOptions(run, "local"));
    JvmProcess local =
        JvmProcess.startWithClasspath(
            "flink-local",
            "io.baton.flinkbench.LocalThroughputRun",
            FlinkClasspath.classpath(),
            logs,
            jvm,
            args);
    processes.add(local);
    long cpuTicks = cpuTicksUntilExit(local.pid(), RUN_DEADLINE);
    int exit = local.awaitExit(Duration.ofSeconds(30));
    Matcher runtime = NET_RUNTIME.matcher(local.logText());
    if (exit != 0 || !runtime.find()) {
      throw new AssertionError(
          "Flink's local "
              + run
              + " failed (exit "
              + exit
              + "), see "
              + local.logFile()
              + ":\n"
              + tail(local.logText()));
    }
    profiling.summarise(run, List.of("local"), PROFILE_TOP_FRAMES);
    List<JvmProcess> jvms = List.of(local);
    return new SideRun(
        Long.parseLong(runtime.group(1)),
        PeakHeaps.sum(jvms, p -> logs.resolve("flink-local-gc.log")),
        PeakHeaps.detail(jvms, p -> logs.resolve("flink-local-gc.log")),
        cpuTicks / ProcessReadings.clockTicksPerSecond(),
        null);
  }

  private SideRun runSession(
      LedgerShape shape, LedgerWorkload workload, Path dir, List<String> args, String run)
      throws Exception {
    session =
        FlinkSessionCluster.builder(dir)
            .taskManagers(shape.flinkTaskManagers())
            .slotsPerTaskManager(shape.flinkSlots())
            .jvmOptions(heap.stream().filter(o -> !o.startsWith("-Xm")).toList())
            .start();
    IdleHeap idleHeap = IdleHeap.read(session.processes());
    String jobId =
        session.submit(
            FlinkClasspath.benchmarkJar(),
            "io.baton.flinkbench.FlinkLedger",
            workload.parallelism(),
            args);
    try {
      Awaits.jobState(session.rest(), jobId, "FINISHED", RUN_DEADLINE);
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError(
          "Flink session " + run + " failed; logs in " + dir.resolve("flink-logs"), e);
    }
    var job = session.rest().getOk("/jobs/" + jobId);
    long millis = job.get("end-time").asLong() - job.get("start-time").asLong();
    List<JvmProcess> jvms = session.processes();
    long cpuTicks = 0;
    for (JvmProcess p : jvms) {
      cpuTicks += ProcessReadings.cpuTicks(p.pid());
    }
    FlinkSessionCluster cluster = session;
    close();
    return new SideRun(
        millis,
        PeakHeaps.sum(jvms, p -> cluster.gcLog(p.name())),
        PeakHeaps.detail(jvms, p -> cluster.gcLog(p.name())),
        cpuTicks / ProcessReadings.clockTicksPerSecond(),
        idleHeap);
  }

  private void verify(Path logs, Path output, LedgerWorkload workload, String run)
      throws Exception {
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
                Long.toString(workload.events()),
                "--keys",
                Integer.toString(workload.keys())));
    processes.add(verify);
    int exit = verify.awaitExit(Duration.ofMinutes(5));
    Matcher verdict = VERDICT.matcher(verify.logText());
    if (exit != 0 || !verdict.find() || !verdict.group().equals(EXACT)) {
      throw new AssertionError(
          "Flink " + run + " wrote inexact output (exit " + exit + "): " + tail(verify.logText()));
    }
    close();
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

  private static String tail(String text) {
    return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
  }

  /** Stops the session cluster and every other JVM this side started. */
  @Override
  public void close() throws Exception {
    Exception failure = null;
    if (session != null) {
      try {
        session.close();
      } catch (Exception e) {
        failure = e;
      }
      session = null;
    }
    for (JvmProcess p : processes) {
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
}
