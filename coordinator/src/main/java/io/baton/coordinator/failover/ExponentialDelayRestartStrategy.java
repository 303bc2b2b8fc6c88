package io.baton.coordinator.failover;

import java.time.Clock;
import java.time.Duration;
import java.util.Random;

/**
 * Restarts with a pause that grows by a multiplier after each failure up to a maximum, with random
 * jitter so that many jobs failing together do not restart in lockstep. Running longer than the
 * reset threshold without a failure brings the pause back to the initial backoff and the attempt
 * count back to zero.
 */
final class ExponentialDelayRestartStrategy implements RestartStrategy {
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final double multiplier;
  private final double jitterFactor;
  private final Duration resetThreshold;
  private final int maxAttempts;
  private final Clock clock;
  private final Random random;

  private long currentBackoffMillis;
  private int attempts;
  private long lastFailureMillis = -1;

  ExponentialDelayRestartStrategy(
      Duration initialBackoff,
      Duration maxBackoff,
      double multiplier,
      double jitterFactor,
      Duration resetThreshold,
      int maxAttempts,
      Clock clock,
      Random random) {
    if (multiplier < 1) {
      throw new IllegalArgumentException("backoff multiplier must be at least 1: " + multiplier);
    }
    if (jitterFactor < 0 || jitterFactor > 1) {
      throw new IllegalArgumentException("jitter factor must be within 0..1: " + jitterFactor);
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "max backoff "
              + RestartStrategyFactory.print(maxBackoff)
              + " is below the initial backoff "
              + RestartStrategyFactory.print(initialBackoff));
    }
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.multiplier = multiplier;
    this.jitterFactor = jitterFactor;
    this.resetThreshold = resetThreshold;
    this.maxAttempts = maxAttempts;
    this.clock = clock;
    this.random = random;
    this.currentBackoffMillis = initialBackoff.toMillis();
  }

  @Override
  public void notifyFailure() {
    long now = clock.millis();
    if (lastFailureMillis < 0 || now - lastFailureMillis >= resetThreshold.toMillis()) {
      currentBackoffMillis = initialBackoff.toMillis();
      attempts = 1;
    } else {
      currentBackoffMillis =
          Math.min(maxBackoff.toMillis(), (long) Math.ceil(currentBackoffMillis * multiplier));
      attempts++;
    }
    lastFailureMillis = now;
  }

  @Override
  public boolean canRestart() {
    return attempts <= maxAttempts;
  }

  /** The current backoff plus or minus up to jitterFactor of it, never above the maximum. */
  @Override
  public Duration backoff() {
    long jitterRange = (long) (currentBackoffMillis * jitterFactor);
    long jitter = jitterRange == 0 ? 0 : random.nextLong(-jitterRange, jitterRange + 1);
    long millis = Math.max(0, Math.min(maxBackoff.toMillis(), currentBackoffMillis + jitter));
    return Duration.ofMillis(millis);
  }

  @Override
  public String describe() {
    return "exponential-delay (initial "
        + RestartStrategyFactory.print(initialBackoff)
        + ", max "
        + RestartStrategyFactory.print(maxBackoff)
        + ", x"
        + multiplier
        + ", jitter "
        + jitterFactor
        + ", reset after "
        + RestartStrategyFactory.print(resetThreshold)
        + (maxAttempts == Integer.MAX_VALUE ? "" : ", " + maxAttempts + " attempts")
        + ")";
  }
}
