package io.baton.coordinator.failover;

import java.time.Duration;

/** Restarts up to a number of times, each after the same pause. */
final class FixedDelayRestartStrategy implements RestartStrategy {
  private final int maxAttempts;
  private final Duration delay;
  private int failures;

  FixedDelayRestartStrategy(int maxAttempts, Duration delay) {
    if (maxAttempts < 0) {
      throw new IllegalArgumentException("attempts must not be negative: " + maxAttempts);
    }
    this.maxAttempts = maxAttempts;
    this.delay = delay;
  }

  @Override
  public void notifyFailure() {
    failures++;
  }

  @Override
  public boolean canRestart() {
    return failures <= maxAttempts;
  }

  @Override
  public Duration backoff() {
    return delay;
  }

  @Override
  public String describe() {
    return "fixed-delay ("
        + maxAttempts
        + " attempts, "
        + RestartStrategyFactory.print(delay)
        + " delay)";
  }
}
