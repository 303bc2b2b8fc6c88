package io.baton.drill;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * How the drill lets time pass: its clock, the pauses between faults, and polls with a deadline.
 * The one place that sleeps, so a test can give the drill a clock and pauses of its own.
 */
final class Poller {
  /** Lets {@code span} pass. */
  @FunctionalInterface
  interface Pause {
    void await(Duration span) throws InterruptedException;
  }

  private final Clock clock;
  private final Pause pause;

  Poller(Clock clock, Pause pause) {
    this.clock = clock;
    this.pause = pause;
  }

  /** The wall clock, and real pauses. */
  static Poller system() {
    return new Poller(Clock.systemUTC(), span -> Thread.sleep(span.toMillis()));
  }

  Clock clock() {
    return clock;
  }

  void pause(Duration span) throws InterruptedException {
    pause.await(span);
  }

  /**
   * Asks {@code attempt} every {@code every} until it gives a value or {@code timeout} passed.
   *
   * @return the first value, or empty when the deadline came first
   */
  <T> Optional<T> until(Duration timeout, Duration every, Supplier<Optional<T>> attempt)
      throws InterruptedException {
    long deadline = clock.millis() + timeout.toMillis();
    while (true) {
      Optional<T> value = attempt.get();
      if (value.isPresent()) {
        return value;
      }
      if (clock.millis() >= deadline) {
        return Optional.empty();
      }
      pause.await(every);
    }
  }
}
