package io.baton.taskmanager.network;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * When to ask again for a partition that is not there yet: after 50 ms, doubling up to 1 s, until
 * the request timeout has passed since the first attempt.
 */
final class PartitionRequestBackoff {
  static final Duration INITIAL_DELAY = Duration.ofMillis(50);
  static final Duration MAX_DELAY = Duration.ofSeconds(1);

  private final long timeoutNanos;
  private final LongSupplier nanoClock;
  private long deadlineNanos;
  private long nextDelayNanos;

  PartitionRequestBackoff(Duration timeout, LongSupplier nanoClock) {
    this.timeoutNanos = timeout.toNanos();
    this.nanoClock = nanoClock;
  }

  /** Called at the first attempt: the deadline counts from now. */
  synchronized void start() {
    deadlineNanos = nanoClock.getAsLong() + timeoutNanos;
    nextDelayNanos = INITIAL_DELAY.toNanos();
  }

  /** The pause before the next attempt, or empty when the deadline has passed. */
  synchronized OptionalLong nextDelayNanos() {
    long remaining = deadlineNanos - nanoClock.getAsLong();
    if (remaining <= 0) {
      return OptionalLong.empty();
    }
    long delay = Math.min(nextDelayNanos, remaining);
    nextDelayNanos = Math.min(nextDelayNanos * 2, MAX_DELAY.toNanos());
    return OptionalLong.of(delay);
  }
}
