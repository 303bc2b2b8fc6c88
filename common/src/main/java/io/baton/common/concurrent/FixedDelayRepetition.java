package io.baton.common.concurrent;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;

/**
 * One task repeated on a main thread with a fixed delay between the end of a run and the start of
 * the next; see {@link MainThreadExecutor#scheduleWithFixedDelay}.
 */
final class FixedDelayRepetition implements Runnable, MainThreadExecutor.Cancellable {
  private final MainThreadExecutor mainThread;
  private final Runnable task;
  private final Duration delay;
  // the pending run; written when scheduling (on the main thread after the first run)
  volatile MainThreadExecutor.Cancellable next = MainThreadExecutor.Cancellable.NONE;
  private volatile boolean cancelled;

  FixedDelayRepetition(MainThreadExecutor mainThread, Runnable task, Duration delay) {
    this.mainThread = mainThread;
    this.task = task;
    this.delay = delay;
  }

  @Override
  public void run() {
    if (cancelled) {
      return;
    }
    task.run();
    if (cancelled) {
      return;
    }
    try {
      next = mainThread.schedule(this, delay);
    } catch (RejectedExecutionException shutDown) {
      // the main thread stopped: so does the repetition
    }
  }

  @Override
  public void cancel() {
    cancelled = true;
    next.cancel();
  }
}
