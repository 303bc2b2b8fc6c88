package io.baton.taskmanager.metrics;

import io.baton.taskmanager.executor.CheckpointAckTimes;
import io.baton.taskmanager.executor.TaskManagerFigures;
import io.baton.taskmanager.executor.TaskManagerFigures.TaskFigures;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

/**
 * A TaskManager's own series: {@code baton_taskmanager_slots}, {@code
 * baton_taskmanager_slots_used}, {@code baton_taskmanager_tasks_running}, {@code
 * baton_taskmanager_jobmanager_registered} (1 while registered with a JobManager), per running task
 * (tagged {@code job_id} and {@code task_name}) {@code baton_taskmanager_task_records_in_total},
 * {@code _records_out_total}, {@code _bytes_in_total} and {@code _bytes_out_total}, and {@code
 * baton_taskmanager_checkpoint_ack_seconds} (count and sum). Refreshed from a {@link
 * TaskManagerFigures} before each scrape, on the scrape's one thread.
 */
public final class TaskManagerMetrics {
  private final MeterRegistry registry;
  private final AtomicLong slots = new AtomicLong();
  private final AtomicLong slotsUsed = new AtomicLong();
  private final AtomicLong tasksRunning = new AtomicLong();
  private final AtomicLong registered = new AtomicLong();
  // per running task (job id + task name): its latest figures and its meters
  private final Map<List<String>, TaskSeries> tasks = new HashMap<>();

  public TaskManagerMetrics(MeterRegistry registry, CheckpointAckTimes ackTimes) {
    this.registry = registry;
    gauge("baton.taskmanager.slots", slots, "Slots this TaskManager offers");
    gauge("baton.taskmanager.slots.used", slotsUsed, "Slots allocated to a job");
    gauge("baton.taskmanager.tasks.running", tasksRunning, "Tasks deployed and not ended");
    gauge(
        "baton.taskmanager.jobmanager.registered",
        registered,
        "1 while registered with a JobManager, 0 while (re-)registering");
    FunctionTimer.builder(
            "baton.taskmanager.checkpoint.ack",
            ackTimes,
            CheckpointAckTimes::count,
            CheckpointAckTimes::totalSeconds,
            TimeUnit.SECONDS)
        .description(
            "Time tasks took for their part of a checkpoint (alignment, sync and async phase)"
                + " until they acknowledged it")
        .register(registry);
  }

  private void gauge(String name, AtomicLong value, String description) {
    Gauge.builder(name, value, AtomicLong::get).description(description).register(registry);
  }

  /** Shows {@code figures}: tasks that ended lose their series, new ones get theirs. */
  public void update(TaskManagerFigures figures) {
    slots.set(figures.slots());
    slotsUsed.set(figures.slotsInUse());
    tasksRunning.set(figures.tasks().size());
    registered.set(figures.registered() ? 1 : 0);
    Map<List<String>, TaskFigures> now = new HashMap<>();
    for (TaskFigures task : figures.tasks()) {
      now.put(List.of(task.jobId(), task.taskName()), task);
    }
    tasks.entrySet().removeIf(e -> !now.containsKey(e.getKey()) && e.getValue().remove());
    now.forEach((key, task) -> tasks.computeIfAbsent(key, k -> new TaskSeries(task)).latest = task);
  }

  /** One running task's counters. */
  private final class TaskSeries {
    private final List<Meter> meters;
    private volatile TaskFigures latest;

    TaskSeries(TaskFigures task) {
      this.latest = task;
      Tags tags = Tags.of("job_id", task.jobId(), "task_name", task.taskName());
      meters =
          List.of(
              counter("baton.taskmanager.task.records.in", tags, TaskFigures::recordsIn),
              counter("baton.taskmanager.task.records.out", tags, TaskFigures::recordsOut),
              counter("baton.taskmanager.task.bytes.in", tags, TaskFigures::bytesIn),
              counter("baton.taskmanager.task.bytes.out", tags, TaskFigures::bytesOut));
    }

    private Meter counter(String name, Tags tags, ToLongFunction<TaskFigures> figure) {
      return FunctionCounter.builder(name, this, s -> figure.applyAsLong(s.latest))
          .description("What the task read or wrote since it started on this TaskManager")
          .tags(tags)
          .register(registry);
    }

    /** Removes the meters; true, for {@code removeIf}. */
    boolean remove() {
      meters.forEach(registry::remove);
      return true;
    }
  }
}
