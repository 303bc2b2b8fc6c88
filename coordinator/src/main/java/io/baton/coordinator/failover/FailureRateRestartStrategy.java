package io.baton.coordinator.failover;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Restarts as long as no more than {@code maxFailuresPerInterval} failures happened within the
 * sliding interval ending now; one more fails the job.
 */
final class FailureRateRestartStrategy implements RestartStrategy {
  private final int maxFailuresPerInterval;
  private final Duration interval;
  private final Duration delay;
  private final Clock clock;
  private final Deque<Long> failureTimes = new ArrayDeque<>();

  FailureRateRestartStrategy(
      int maxFailuresPerInterval, Duration interval, Duration delay, Clock clock) {
    if (maxFailuresPerInterval < 1) {
      throw new IllegalArgumentException(
          "max failures per interval must be at least 1: " + maxFailuresPerInterval);
    }
    this.maxFailuresPerInterval = maxFailuresPerInterval;
    this.interval = interval;
    this.delay = delay;
    this.clock = clock;
  }

  @Override
  public void notifyFailure() {
    failureTimes.addLast(clock.millis());
  }

  @Override
  public boolean canRestart() {
    long windowStart = clock.millis() - interval.toMillis();
    // failures that left the window no longer count
    while (!failureTimes.isEmpty() && failureTimes.peekFirst() <= windowStart) {
      failureTimes.removeFirst();
    }
    return failureTimes.size() <= maxFailuresPerInterval;
  }

  @Override
  public Duration backoff() {
    return delay;
  }

  @Override
  public String describe() {
    return "failure-rate ("
        + maxFailuresPerInterval
        + " failures per "
        + RestartStrategyFactory.print(interval)
        + ", "
        + RestartStrategyFactory.print(delay)
        + " delay)";
  }
}
