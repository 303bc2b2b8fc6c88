package io.baton.taskmanager.executor;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How long this TaskManager's tasks took for their part of the checkpoints they acknowledged
 * (alignment, synchronous and asynchronous phase): a count and a sum, as Prometheus summarises
 * durations. Recorded by whichever thread sends the acknowledgement, read by the metrics scrape.
 */
public final class CheckpointAckTimes {
  private final AtomicLong count = new AtomicLong();
  private final AtomicLong totalNanos = new AtomicLong();

  void record(Duration duration) {
    count.incrementAndGet();
    totalNanos.addAndGet(duration.toNanos());
  }

  public long count() {
    return count.get();
  }

  public double totalSeconds() {
    return totalNanos.get() / 1e9;
  }
}
