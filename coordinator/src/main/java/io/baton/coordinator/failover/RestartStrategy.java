package io.baton.coordinator.failover;

import java.time.Duration;

/**
 * Decides whether a failed job restarts and after how long. The job master calls {@link
 * #notifyFailure} once per global failure, then asks {@link #canRestart} and, when it may, waits
 * {@link #backoff} before redeploying. Not thread-safe: used on the job master's thread only.
 */
public interface RestartStrategy {

  /** Records a failure at the strategy's clock's current time. */
  void notifyFailure();

  /** Whether the job may restart after the failures recorded so far. */
  boolean canRestart();

  /** How long to wait before the next restart. */
  Duration backoff();

  /** One line for logs, e.g. "fixed-delay (3 attempts, 1 s delay)". */
  String describe();
}
