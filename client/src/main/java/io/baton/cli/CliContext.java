package io.baton.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What the commands share.
 *
 * @param out where results go
 * @param env the process environment (for BATON_CONF_DIR)
 * @param pollInterval how often {@code run} asks for its job's progress
 * @param clock to print unchanged progress now and then
 */
record CliContext(PrintWriter out, Map<String, String> env, Duration pollInterval, Clock clock) {
  // a tick runs on the common pool; a busy pool may start it a little late
  private static final long TICK_SLACK_MILLIS = 1000;

  /** Waits one poll interval before a command asks the JobManager again. */
  void awaitNextPoll() throws InterruptedException {
    long millis = pollInterval.toMillis();
    CompletableFuture<Void> tick =
        CompletableFuture.runAsync(
            () -> {}, CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS));
    try {
      tick.get(millis + TICK_SLACK_MILLIS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException late) {
      // the interval has passed all the same
      tick.cancel(false);
    } catch (ExecutionException impossible) {
      throw new IllegalStateException("an empty tick failed", impossible.getCause());
    }
  }
}
