package io.baton.common.concurrent;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * The one thread a component mutates its state on (its "main thread", as Flink's RPC endpoints
 * have). Other threads hand work over with {@link #execute} or {@link #call} instead of sharing
 * locks. Tests substitute a manually driven implementation to control time.
 */
public interface MainThreadExecutor extends Executor {

  /**
   * Fails unless the caller runs on this executor's main thread: state confined to the main thread
   * must not be touched from anywhere else. Always on, as it only compares two threads.
   *
   * @throws IllegalStateException naming the component and the offending thread
   */
  void assertRunningInMainThread();

  /** Runs {@code task} on the main thread after {@code delay}; the handle cancels it. */
  Cancellable schedule(Runnable task, Duration delay);

  /**
   * Runs {@code task} on the main thread after {@code initialDelay}, then again {@code delay} after
   * each run ends, until the handle cancels it or the executor shuts down. A run that throws ends
   * the repetition.
   *
   * @throws RejectedExecutionException once the executor is shut down
   */
  default Cancellable scheduleWithFixedDelay(Runnable task, Duration initialDelay, Duration delay) {
    FixedDelayRepetition repetition = new FixedDelayRepetition(this, task, delay);
    repetition.next = schedule(repetition, initialDelay);
    return repetition;
  }

  /**
   * Runs {@code action} on the main thread; the future completes with its result, or fails with
   * {@link RejectedExecutionException} once the executor is shut down.
   */
  default <T> CompletableFuture<T> call(Supplier<T> action) {
    try {
      return CompletableFuture.supplyAsync(action, this);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Hands a message from another component to the main thread; once this executor is shut down the
   * message is dropped, as the component it belongs to has stopped.
   *
   * @return whether the message was accepted
   */
  default boolean tell(Runnable message) {
    try {
      execute(message);
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  /** Runs {@code action} on the main thread and flattens the future it returns. */
  default <T> CompletableFuture<T> compose(Supplier<CompletableFuture<T>> action) {
    return call(action).thenCompose(f -> f);
  }

  /**
   * Stops accepting work; queued tasks still run, scheduled ones are dropped.
   *
   * @param timeout how long to wait for queued tasks to finish; zero: do not wait
   */
  void shutdown(Duration timeout);

  /** A scheduled task that can still be called off. */
  @FunctionalInterface
  interface Cancellable {
    Cancellable NONE = () -> {};

    void cancel();
  }
}
