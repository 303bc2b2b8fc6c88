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
 * and the records and bytes its tasks read and wrote (summed over the current attempt, from the
 * TaskManagers' heartbeats).
 */
public final class JobMetricGroup implements AutoCloseable {
  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();
  private final AtomicLong restarts = new AtomicLong();
  private final AtomicLong reconciliations = new AtomicLong();
  private final AtomicLong recordsIn = new AtomicLong();
  private final AtomicLong recordsOut = new AtomicLong();
  private final AtomicLong bytesIn = new AtomicLong();
  private final AtomicLong bytesOut = new AtomicLong();
  private final AtomicLong checkpointsCompleted = new AtomicLong();
  private final AtomicLong checkpointsFailed = new AtomicLong();
  private final AtomicLong checkpointsRestored = new AtomicLong();
  private final AtomicLong lastCheckpointDuration = new AtomicLong();
  private final AtomicLong lastCheckpointSize = new AtomicLong();

  JobMetricGroup(MeterRegistry registry, String jobId, String jobName) {
    this.registry = registry;
    Tags tags = Tags.of("job_id", jobId, "job_name", jobName);
    gauge("baton.job.restarts", restarts, tags, "Times the job restarted");
    counter(
        "baton.job.reconciliations",
        reconciliations,
        tags,
        "Times a new leader adopted the job's running tasks instead of restarting them");
    gauge("baton.task.records.in", recordsIn, tags, "Records the job's tasks read");
    gauge("baton.task.records.out", recordsOut, tags, "Records the job's tasks wrote");
    gauge("baton.task.bytes.in", bytesIn, tags, "Bytes the job's tasks read");
    gauge("baton.task.bytes.out", bytesOut, tags, "Bytes the job's tasks wrote");
    counter("baton.checkpoints.completed", checkpointsCompleted, tags, "Checkpoints completed");
    counter("baton.checkpoints.failed", checkpointsFailed, tags, "Checkpoints aborted");
    counter("baton.checkpoint.restored", checkpointsRestored, tags, "Restores from a checkpoint");
    gauge(
        "baton.checkpoint.last.duration.ms",
        lastCheckpointDuration,
        tags,
        "End-to-end duration of the last completed checkpoint");
    gauge(
        "baton.checkpoint.last.size.bytes",
        lastCheckpointSize,
        tags,
        "State size of the last completed checkpoint");
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

  public void checkpointCompleted(long durationMs, long sizeBytes) {
    checkpointsCompleted.incrementAndGet();
    lastCheckpointDuration.set(durationMs);
    lastCheckpointSize.set(sizeBytes);
  }

  public void checkpointFailed() {
    checkpointsFailed.incrementAndGet();
  }

  public void checkpointRestored() {
    checkpointsRestored.incrementAndGet();
  }

  public void setRestarts(long value) {
    restarts.set(value);
  }

  /** The job's adoption count, carried from leader to leader: it only grows. */
  public void setReconciliations(long total) {
    reconciliations.accumulateAndGet(total, Math::max);
  }

  public void setIo(long recordsIn, long recordsOut, long bytesIn, long bytesOut) {
    this.recordsIn.set(recordsIn);
    this.recordsOut.set(recordsOut);
    this.bytesIn.set(bytesIn);
    this.bytesOut.set(bytesOut);
  }

  @Override
  public void close() {
    meters.forEach(registry::remove);
    meters.clear();
  }
}
