package io.baton.cli.yarn;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Polling with a deadline: waits one interval between two looks at YARN or the REST API. */
final class Pause {
  private static final Duration INTERVAL = Duration.ofMillis(250);

  private Pause() {}

  /** Waits one interval; false once {@code deadline} has passed. */
  static boolean before(Instant deadline) throws InterruptedException {
    if (Instant.now().isAfter(deadline)) {
      return false;
    }
    try {
      CompletableFuture.runAsync(
              () -> {},
              CompletableFuture.delayedExecutor(INTERVAL.toMillis(), TimeUnit.MILLISECONDS))
          .get();
    } catch (ExecutionException impossible) {
      throw new IllegalStateException("an empty tick failed", impossible.getCause());
    }
    return true;
  }
}
