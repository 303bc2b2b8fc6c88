package io.baton.coordinator.failover;

import java.time.Duration;

/** Never restarts: the first failure fails the job. */
final class NoRestartStrategy implements RestartStrategy {

  @Override
  public void notifyFailure() {}

  @Override
  public boolean canRestart() {
    return false;
  }

  @Override
  public Duration backoff() {
    return Duration.ZERO;
  }

  @Override
  public String describe() {
    return "none";
  }
}
