package io.baton.coordinator.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One job's series, tagged {@code job_id} and {@code job_name}: restarts, adoptions by new leaders
 * and the records and bytes its tasks read and wrote (counters over all attempts while this
 * JobManager leads, from the TaskManagers' heartbeats), and its checkpoints: counts, the last one's
 * duration and size, when the last one completed and the interval they are taken at (for the
 * lateness alert).
 */
public final class JobMetricGroup implements AutoCloseable {
  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();
  private final AtomicLong restarts = new AtomicLong();
  private final AtomicLong reconciliations = new AtomicLong();
  private final CumulativeCount recordsIn = new CumulativeCount();
  private final CumulativeCount recordsOut = new CumulativeCount();
  private final CumulativeCount bytesIn = new CumulativeCount();
  private final CumulativeCount bytesOut = new CumulativeCount();
  private final AtomicLong checkpointsCompleted = new AtomicLong();
  private final AtomicLong checkpointsFailed = new AtomicLong();
  private final AtomicLong checkpointsRestored = new AtomicLong();
  private final AtomicLong lastCheckpointDurationMs = new AtomicLong();
  private final AtomicLong lastCheckpointSize = new AtomicLong();
  private final AtomicLong lastCheckpointCompletedMs = new AtomicLong();
  private final AtomicLong checkpointIntervalMs = new AtomicLong();

  JobMetricGroup(MeterRegistry registry, String jobId, String jobName) {
    this.registry = registry;
    Tags tags = Tags.of("job_id", jobId, "job_name", jobName);
    counter("baton.job.restarts", restarts, tags, "Times the job restarted");
    counter(
        "baton.job.reconciliations",
        reconciliations,
        tags,
        "Times a new leader adopted the job's running tasks instead of restarting them");
    counter("baton.task.records.in", recordsIn, tags, "Records the job's tasks read");
    counter("baton.task.records.out", recordsOut, tags, "Records the job's tasks wrote");
    counter("baton.task.bytes.in", bytesIn, tags, "Bytes the job's tasks read");
    counter("baton.task.bytes.out", bytesOut, tags, "Bytes the job's tasks wrote");
    counter("baton.checkpoints.completed", checkpointsCompleted, tags, "Checkpoints completed");
    counter("baton.checkpoints.failed", checkpointsFailed, tags, "Checkpoints aborted");
    counter("baton.checkpoint.restored", checkpointsRestored, tags, "Restores from a checkpoint");
    seconds(
        "baton.checkpoint.last.duration",
        lastCheckpointDurationMs,
        tags,
        "End-to-end duration of the last completed checkpoint");
    gauge(
        "baton.checkpoint.last.size.bytes",
        lastCheckpointSize,
        tags,
        "State size of the last completed checkpoint");
    seconds(
        "baton.checkpoint.last.completed.timestamp",
        lastCheckpointCompletedMs,
        tags,
        "Unix time of the last completed checkpoint (before the first: when checkpointing started"
            + " under this leader)");
    seconds(
        "baton.checkpoint.interval",
        checkpointIntervalMs,
        tags,
        "Interval of periodic checkpoints (0: off)");
  }

  private void seconds(String name, AtomicLong millis, Tags tags, String description) {
    meters.add(
        Gauge.builder(name, millis, ms -> ms.get() / 1000.0)
            .description(description)
            .baseUnit("seconds")
            .tags(tags)
            .register(registry));
  }

  private void counter(String name, CumulativeCount value, Tags tags, String description) {
    meters.add(
        FunctionCounter.builder(name, value, CumulativeCount::total)
            .description(description)
            .tags(tags)
            .register(registry));
  }

  private void gauge(String name, AtomicLong value, Tags tags, String description) {
    meters.add(
        Gauge.builder(name, value, AtomicLong::get)
            .description(description)
            .tags(tags)
            .register(registry));
  }

  private void counter(String name, AtomicLong value, Tags tags, String description) {
    meters.add(
        FunctionCounter.builder(name, value, AtomicLong::get)
            .description(description)
            .tags(tags)
            .register(registry));
  }

  /** Periodic checkpoints start at {@code intervalMs}; lateness is counted from {@code nowMs}. */
  public void checkpointingStarted(long intervalMs, long nowMs) {
    checkpointIntervalMs.set(intervalMs);
    lastCheckpointCompletedMs.compareAndSet(0, nowMs);
  }

  public void checkpointCompleted(long durationMs, long sizeBytes, long completedAtMs) {
    checkpointsCompleted.incrementAndGet();
    lastCheckpointDurationMs.set(durationMs);
    lastCheckpointSize.set(sizeBytes);
    lastCheckpointCompletedMs.set(completedAtMs);
  }

  public void checkpointFailed() {
    checkpointsFailed.incrementAndGet();
  }

  public void checkpointRestored() {
    checkpointsRestored.incrementAndGet();
  }

  /** The job restarted for the {@code value}th time: its tasks count from zero again. */
  public void setRestarts(long value) {
    restarts.set(value);
    recordsIn.newAttempt();
    recordsOut.newAttempt();
    bytesIn.newAttempt();
    bytesOut.newAttempt();
  }

  /** The job's adoption count, carried from leader to leader: it only grows. */
  public void setReconciliations(long total) {
    reconciliations.accumulateAndGet(total, Math::max);
  }

  /** What the current attempt's tasks read and wrote so far. Job master thread. */
  public void setIo(long recordsIn, long recordsOut, long bytesIn, long bytesOut) {
    this.recordsIn.report(recordsIn);
    this.recordsOut.report(recordsOut);
    this.bytesIn.report(bytesIn);
    this.bytesOut.report(bytesOut);
  }

  @Override
  public void close() {
    meters.forEach(registry::remove);
    meters.clear();
  }
}
