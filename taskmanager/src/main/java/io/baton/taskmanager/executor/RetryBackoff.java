package io.baton.taskmanager.executor;

import java.time.Duration;

/** Delays between retries: starts small and doubles up to a ceiling. Not thread-safe. */
final class RetryBackoff {
  static final Duration INITIAL = Duration.ofMillis(100);
  static final Duration MAX = Duration.ofSeconds(5);

  private final Duration initial;
  private final Duration max;
  private Duration next;

  RetryBackoff() {
    this(INITIAL, MAX);
  }

  RetryBackoff(Duration initial, Duration max) {
    this.initial = initial;
    this.max = max;
    this.next = initial;
  }

  /** The delay before the next retry; each call doubles the following one, up to the ceiling. */
  Duration next() {
    Duration current = next;
    Duration doubled = next.multipliedBy(2);
    next = doubled.compareTo(max) > 0 ? max : doubled;
    return current;
  }

  void reset() {
    next = initial;
  }
}
