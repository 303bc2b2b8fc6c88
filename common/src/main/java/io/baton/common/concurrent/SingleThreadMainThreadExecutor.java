package io.baton.common.concurrent;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A {@link MainThreadExecutor} on one named daemon thread. */
public final class SingleThreadMainThreadExecutor implements MainThreadExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(SingleThreadMainThreadExecutor.class);

  private final String component;
  private final String threadName;
  private final ScheduledThreadPoolExecutor executor;
  private volatile Thread thread;

  /** A main thread named {@code threadName}, also naming its component in assertion failures. */
  public SingleThreadMainThreadExecutor(String threadName) {
    this(threadName, threadName);
  }

  /**
   * @param component what owns the state, named when {@link #assertRunningInMainThread} fails
   * @param threadName the main thread's name (logs and tests look threads up by it)
   */
  public SingleThreadMainThreadExecutor(String component, String threadName) {
    this.component = component;
    this.threadName = threadName;
    this.executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              thread = t;
              return t;
            });
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  @Override
  public void execute(Runnable task) {
    executor.execute(guarded(task));
  }

  @Override
  public Cancellable schedule(Runnable task, Duration delay) {
    ScheduledFuture<?> f =
        executor.schedule(guarded(task), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  private boolean isMainThread() {
    return Thread.currentThread() == thread;
  }

  @Override
  public void assertRunningInMainThread() {
    if (!isMainThread()) {
      throw new IllegalStateException(
          component
              + " was called on thread '"
              + Thread.currentThread().getName()
              + "', but only its main thread '"
              + threadName
              + "' may touch its state");
    }
  }

  @Override
  public void shutdown(Duration timeout) {
    executor.shutdown();
    if (isMainThread() || timeout.isZero()) {
      return;
    }
    try {
      if (!executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("Main thread did not stop within {} ms; interrupting it", timeout.toMillis());
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      executor.shutdownNow();
    }
  }

  // an exception escaping a task would otherwise vanish inside the executor's future
  private static Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        LOG.error("Unexpected error on main thread {}", Thread.currentThread().getName(), e);
      }
    };
  }
}
