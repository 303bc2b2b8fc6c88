package io.baton.it;

import io.baton.it.FlinkHeartbeatsBenchmark.Outcome;
import io.baton.it.FlinkHeartbeatsBenchmark.Results;
import io.baton.it.FlinkHeartbeatsBenchmark.Window;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The {@code heartbeats} part of the side-by-side table: {@link FlinkHeartbeatsBenchmark}'s rows
 * per scenario, how each side's JobManager grows with TaskManagers and running subtasks, and the
 * settings.
 */
final class HeartbeatsReport {
  private final FlinkHeartbeatsBenchmark benchmark;
  private final Results baton;
  private final Results flink;

  HeartbeatsReport(FlinkHeartbeatsBenchmark benchmark, Results baton, Results flink) {
    this.benchmark = benchmark;
    this.baton = baton;
    this.flink = flink;
  }

  void write() throws IOException {
    ComparisonReport report = new ComparisonReport("heartbeats");
    addRows(report, "JobManager idle (0 TaskManagers)", baton.idle(), flink.idle());
    for (int count : benchmark.counts()) {
      addRows(
          report,
          String.format(Locale.ROOT, "%,d TaskManagers heartbeating", count),
          baton.heartbeats().get(count),
          flink.heartbeats().get(count));
    }
    if (baton.subtasks() != null) {
      addRows(report, subtasksBenchmark(), baton.subtasks(), flink.subtasks());
    }
    report
        .setting("Growth: " + growth("Baton", baton) + "; " + growth("Flink", flink))
        .setting(
            "TaskManagers, all in one simulator JVM per side, 1 slot each while only heartbeating"
                + " (no job). Baton: SimulatedTaskManagers (it), each with its own id, its own"
                + " TaskManagerService gRPC server port and its own channel to the JobManager"
                + " (one Netty event loop group of 2 threads for all), registering and"
                + " heartbeating over Baton's gRPC protocol (slot report and heap in every"
                + " heartbeat). Flink: ManyTaskExecutors (flink-benchmark), real TaskExecutors from"
                + " TaskManagerRunner.startTaskManager, each with its own ResourceID, slot table and"
                + " Netty shuffle environment, sharing one Pekko RPC service (so one connection to"
                + " the JobManager), no managed memory, 128 KiB of network buffers each")
        .setting(subtasksSetting())
        .setting(
            "heartbeat.interval "
                + benchmark.interval().toMillis()
                + " ms, heartbeat.timeout "
                + benchmark.timeout().toMillis()
                + " ms on both sides. Baton: each TaskManager calls Heartbeat on the JobManager"
                + " and gets an answer; Flink: the resource manager asks each TaskExecutor for a"
                + " heartbeat and it answers with its slot report, and with a job running the"
                + " JobMaster does the same with the TaskExecutors that run its tasks")
        .setting(
            "Both non-HA: Baton JobManagerEntrypoint (high-availability.type none), Flink"
                + " StandaloneSessionClusterEntrypoint (high-availability.type NONE, web UI on)")
        .setting(
            "JobManager JVMs: "
                + String.join(" ", benchmark.jobManagerJvm())
                + " -Xlog:gc on both (Flink also with the --add-opens/--add-exports of Flink's"
                + " config.yaml for Java 17); simulator JVMs: "
                + String.join(" ", benchmark.simulatorJvm()))
        .setting(
            "Per side, one after the other, each scenario with a JobManager of its own: started,"
                + " (idle) "
                + benchmark.warmUp().toSeconds()
                + " s warm-up and a "
                + benchmark.window().toSeconds()
                + " s window; (TaskManagers) the simulator started, all TaskManagers and slots"
                + " seen in GET /overview and GET /taskmanagers, (subtasks) the job submitted over"
                + " REST and all its subtasks RUNNING in GET /jobs/{id}, then "
                + benchmark.warmUp().toSeconds()
                + " s warm-up and a "
                + benchmark.window().toSeconds()
                + " s window (-Dbenchmark.heartbeats.seconds)")
        .setting(
            "CPU = (utime + stime of /proc/<pid>/stat at the end of the window − at its start) ÷"
                + " window, in % of one core. Heap after full GC = S0U+S1U+EU+OU of `jstat -gc`"
                + " after `jcmd <pid> GC.run` at the end of the window; peak heap = the larger of"
                + " the highest heap before a GC pause of the -Xlog:gc file within the window and"
                + " the used heap at its end")
        .setting(
            "From the simulator's start until the JobManager listed every TaskManager and slot"
                + " (mostly the simulators' own start-up): "
                + perScenario(o -> seconds(o.registration()))
                + "; from submission until all subtasks RUNNING: Baton "
                + figure(baton.subtasks(), o -> seconds(o.toRunning()))
                + ", Flink "
                + figure(flink.subtasks(), o -> seconds(o.toRunning())))
        .setting(
            "Simulator JVM over the same window (context, not a comparison: the Baton"
                + " simulator only fakes TaskManagers, Flink's runs real TaskExecutors), CPU and"
                + " threads: "
                + perScenario(
                    o ->
                        percent(o.window().simulatorCpu())
                            + ", "
                            + o.window().simulatorThreads()
                            + " threads")
                + "; process logs in it/target/heartbeats-logs")
        .setting(
            "Machine load (1-minute load average) when each window opened: "
                + perScenarioWithIdle(o -> o.window().loadAverage())
                + " on "
                + Runtime.getRuntime().availableProcessors()
                + " cores; CPU time counts only the process's own work, but a busy machine still"
                + " makes every figure noisier");
    report.write();
  }

  private String subtasksBenchmark() {
    return String.format(
        Locale.ROOT,
        "%,d subtasks running (%,d TaskManagers x %d slots)",
        benchmark.subtasks(),
        FlinkHeartbeatsBenchmark.subtaskTaskManagers(),
        benchmark.subtaskSlots());
  }

  private String subtasksSetting() {
    if (baton.subtasks() == null) {
      return "No running-subtasks scenario (-Dbenchmark.heartbeats.subtasks=0)";
    }
    return String.format(
            Locale.ROOT,
            "Running subtasks: one job of 2 vertices x %,d subtasks (source → map with a"
                + " discarding sink chained to it, FORWARD, not chained; slot sharing, so one slot"
                + " per pair), submitted over REST (jar upload + run, main() on the JobManager),"
                + " on %,d TaskManagers x %d slots, no checkpointing. ",
            FlinkHeartbeatsBenchmark.parallelism(),
            FlinkHeartbeatsBenchmark.subtaskTaskManagers(),
            benchmark.subtaskSlots())
        + "Baton: "
        + BatonHeartbeatsSide.JOB_DESCRIPTION
        + ": each task is acknowledged, reported RUNNING with UpdateTaskState and named in every"
        + " heartbeat (slot allocation, task metrics) as a TaskExecutor does; the job jar is never"
        + " downloaded. Flink: "
        + FlinkHeartbeatsSide.JOB_DESCRIPTION
        + ". Not measured on a side whose TaskManager JVM would need more threads than the"
        + " machine has left (Flink: 2 per task and 5 per TaskExecutor; less "
        + MachineThreads.RESERVE
        + " kept for other processes)";
  }

  // ---------------------------------------------------------------- growth

  /**
   * How a side's JobManager grows: CPU and heap after full GC per 1,000 TaskManagers from a
   * least-squares line through the heartbeat scenarios, and per 1,000 running subtasks from the
   * running-subtasks scenario less that line at its TaskManager count.
   */
  private String growth(String side, Results results) {
    List<Integer> counts = new ArrayList<>();
    List<GrowthFit.Point> cpu = new ArrayList<>();
    List<GrowthFit.Point> heap = new ArrayList<>();
    results
        .heartbeats()
        .forEach(
            (count, outcome) -> {
              if (outcome.measured()) {
                counts.add(count);
                cpu.add(new GrowthFit.Point(count, outcome.window().cpuPercent()));
                heap.add(new GrowthFit.Point(count, outcome.window().heapAfterGcMiB()));
              }
            });
    if (counts.stream().distinct().count() < 2) {
      return side + " not measured (fewer than two TaskManager counts measured)";
    }
    GrowthFit cpuFit = GrowthFit.of(cpu);
    GrowthFit heapFit = GrowthFit.of(heap);
    String text =
        String.format(
            Locale.ROOT,
            "%s, per 1,000 TaskManagers heartbeating: CPU %+.2f %% of a core, heap after full GC"
                + " %+.1f MiB (%+.1f KiB per TaskManager) (least-squares line through %s"
                + " TaskManagers; at 0 it gives %.2f %% and %.1f MiB)",
            side,
            cpuFit.slope() * 1000,
            heapFit.slope() * 1000,
            heapFit.slope() * 1024,
            counts.stream()
                .map(c -> String.format(Locale.ROOT, "%,d", c))
                .collect(Collectors.joining(", ")),
            cpuFit.intercept(),
            heapFit.intercept());
    Outcome subtasks = results.subtasks();
    if (subtasks == null) {
      return text;
    }
    if (!subtasks.measured()) {
      return text + "; per 1,000 running subtasks: not measured";
    }
    int taskManagers = FlinkHeartbeatsBenchmark.subtaskTaskManagers();
    double thousands = benchmark.subtasks() / 1000.0;
    return text
        + String.format(
            Locale.ROOT,
            "; per 1,000 running subtasks: CPU %+.2f %% of a core, heap after full GC %+.1f MiB"
                + " (the running-subtasks scenario less the line's figure at %,d TaskManagers,"
                + " ÷ %.1f)",
            (subtasks.window().cpuPercent() - cpuFit.at(taskManagers)) / thousands,
            (subtasks.window().heapAfterGcMiB() - heapFit.at(taskManagers)) / thousands,
            taskManagers,
            thousands);
  }

  // ---------------------------------------------------------------- rows

  private static void addRows(ComparisonReport report, String benchmark, Outcome b, Outcome f) {
    row(report, benchmark, "JobManager CPU (% of a core)", b, f, Window::cpuPercent);
    row(report, benchmark, "JobManager heap after full GC (MiB)", b, f, Window::heapAfterGcMiB);
    row(report, benchmark, "JobManager peak heap in window (MiB)", b, f, Window::peakHeapMiB);
  }

  private static void row(
      ComparisonReport report,
      String benchmark,
      String measure,
      Outcome baton,
      Outcome flink,
      ToDoubleFunction<Window> figure) {
    if (baton.measured() && flink.measured()) {
      report.row(
          benchmark,
          measure,
          round(figure.applyAsDouble(baton.window())),
          round(figure.applyAsDouble(flink.window())));
      return;
    }
    report.rowWithout(
        benchmark,
        measure,
        baton.measured() ? format(figure.applyAsDouble(baton.window())) : "not measured",
        flink.measured() ? format(figure.applyAsDouble(flink.window())) : "not measured",
        "not measured: "
            + (baton.measured() ? "" : "Baton: " + baton.failure())
            + (!baton.measured() && !flink.measured() ? "; " : "")
            + (flink.measured() ? "" : "Flink: " + flink.failure()));
  }

  /** "200 TaskManagers: Baton x, Flink y; ..." over the TaskManager and subtasks scenarios. */
  private String perScenario(Function<Outcome, String> what) {
    List<String> parts = new ArrayList<>();
    for (int count : benchmark.counts()) {
      parts.add(
          String.format(Locale.ROOT, "%,d TaskManagers: Baton ", count)
              + figure(baton.heartbeats().get(count), what)
              + ", Flink "
              + figure(flink.heartbeats().get(count), what));
    }
    if (baton.subtasks() != null) {
      parts.add(
          String.format(Locale.ROOT, "%,d subtasks: Baton ", benchmark.subtasks())
              + figure(baton.subtasks(), what)
              + ", Flink "
              + figure(flink.subtasks(), what));
    }
    return String.join("; ", parts);
  }

  private String perScenarioWithIdle(Function<Outcome, String> what) {
    return "idle: Baton "
        + figure(baton.idle(), what)
        + ", Flink "
        + figure(flink.idle(), what)
        + "; "
        + perScenario(what);
  }

  private static String figure(Outcome outcome, Function<Outcome, String> what) {
    return outcome == null || !outcome.measured() ? "n/a" : what.apply(outcome);
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
