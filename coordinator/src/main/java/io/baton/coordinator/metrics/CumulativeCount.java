package io.baton.coordinator.metrics;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A Prometheus counter fed with a figure that starts again from zero with each attempt of a job
 * (records its current tasks read, say): it only grows, by what the figure grew since the last
 * report, so a restart of the job is not a drop that {@code rate()} would mistake for a reset of
 * the JobManager. Written by the job master's thread, read by the scrape.
 */
final class CumulativeCount {
  private final AtomicLong total = new AtomicLong();
  private long lastReported;

  /** The figure of the current attempt is {@code value} now. */
  void report(long value) {
    // a lower figure than before: the attempt started again without a new-attempt call
    long grown = value >= lastReported ? value - lastReported : value;
    lastReported = value;
    total.addAndGet(grown);
  }

  /** A new attempt starts counting from zero. */
  void newAttempt() {
    lastReported = 0;
  }

  long total() {
    return total.get();
  }
}
