package io.baton.coordinator;

import io.baton.common.concurrent.MainThreadExecutor;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.PriorityQueue;

/**
 * A main thread driven by the test: queued work runs on {@link #runAll}, scheduled work when {@link
 * #advance} moves the clock past its time. Everything runs on the test's thread.
 */
public final class ManualMainThreadExecutor implements MainThreadExecutor {
  private final ManualClock clock;
  private final Deque<Runnable> queue = new ArrayDeque<>();
  private final PriorityQueue<Timer> timers =
      new PriorityQueue<>(
          Comparator.comparingLong((Timer t) -> t.due).thenComparingLong(t -> t.seq));
  private final Thread owner = Thread.currentThread();
  private long seq;

  /** The thread creating it (the test's) is its main thread. */
  public ManualMainThreadExecutor(ManualClock clock) {
    this.clock = clock;
  }

  @Override
  public void assertRunningInMainThread() {
    if (Thread.currentThread() != owner) {
      throw new IllegalStateException(
          "called on thread '"
              + Thread.currentThread().getName()
              + "', but only the test's thread '"
              + owner.getName()
              + "' drives this main thread");
    }
  }

  @Override
  public void execute(Runnable task) {
    queue.addLast(task);
  }

  @Override
  public Cancellable schedule(Runnable task, Duration delay) {
    Timer t = new Timer(clock.millis() + delay.toMillis(), seq++, task);
    timers.add(t);
    return () -> timers.remove(t);
  }

  @Override
  public void shutdown(Duration timeout) {}

  /** Runs queued work (and what it queues) and timers already due. */
  public void runAll() {
    while (true) {
      Runnable next = queue.pollFirst();
      if (next == null) {
        Timer due = timers.peek();
        if (due == null || due.due > clock.millis()) {
          return;
        }
        timers.poll();
        next = due.task;
      }
      next.run();
    }
  }

  /** Moves the clock forward step by step, running every timer at its time. */
  public void advance(Duration d) {
    long target = clock.millis() + d.toMillis();
    runAll();
    while (!timers.isEmpty() && timers.peek().due <= target) {
      Timer t = timers.poll();
      clock.setMillis(Math.max(clock.millis(), t.due));
      t.task.run();
      runAll();
    }
    clock.setMillis(target);
    runAll();
  }

  private record Timer(long due, long seq, Runnable task) {}
}
