package io.baton.taskmanager.task;

import io.baton.common.execution.TaskIoCounters;
import io.baton.common.ids.ExecutionId;
import java.util.function.LongSupplier;

/**
 * A task's I/O counters: written by the task's thread now and then ({@link #publish}), read by any
 * thread ({@link #snapshot}).
 */
final class TaskIoMetrics {
  // below this, a backpressure sample says too little; the previous ratio stands
  private static final long MIN_SAMPLE_NANOS = 100_000_000L;

  private final ExecutionId executionId;
  private final LongSupplier nanoClock;

  private volatile long recordsIn;
  private volatile long recordsOut;
  private volatile long bytesIn;
  private volatile long bytesOut;
  private volatile long backpressuredNanos;

  // guarded by this: the backpressure ratio between two snapshots
  private long sampleStartNanos;
  private long sampleStartBackpressuredNanos;
  private double backpressure;

  TaskIoMetrics(ExecutionId executionId, LongSupplier nanoClock) {
    this.executionId = executionId;
    this.nanoClock = nanoClock;
    this.sampleStartNanos = nanoClock.getAsLong();
  }

  /** Called by the task's thread only. */
  void publish(
      long recordsIn, long recordsOut, long bytesIn, long bytesOut, long backpressuredNanos) {
    this.recordsIn = recordsIn;
    this.recordsOut = recordsOut;
    this.bytesIn = bytesIn;
    this.bytesOut = bytesOut;
    this.backpressuredNanos = backpressuredNanos;
  }

  /**
   * The counters as last published; backpressure is the share of the time since the previous
   * snapshot (at least 100 ms) the task spent blocked on full output buffers.
   */
  TaskIoCounters snapshot() {
    return new TaskIoCounters(
        executionId, recordsIn, recordsOut, bytesIn, bytesOut, backpressureRatio());
  }

  private synchronized double backpressureRatio() {
    long now = nanoClock.getAsLong();
    long elapsed = now - sampleStartNanos;
    if (elapsed >= MIN_SAMPLE_NANOS) {
      long blocked = backpressuredNanos - sampleStartBackpressuredNanos;
      backpressure = Math.max(0.0, Math.min(1.0, (double) blocked / elapsed));
      sampleStartNanos = now;
      sampleStartBackpressuredNanos = backpressuredNanos;
    }
    return backpressure;
  }
}
