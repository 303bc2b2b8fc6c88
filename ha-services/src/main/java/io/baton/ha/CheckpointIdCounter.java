package io.baton.ha;

/**
 * Hands out one job's checkpoint ids, strictly increasing, starting at 1. After a restore the
 * counter is moved past the restored id so that new checkpoints never reuse a directory name.
 */
public interface CheckpointIdCounter {

  /** Prepares the counter for use; calling it again does nothing. */
  void start();

  /** The next id to use, and moves the counter on. */
  long getAndIncrement();

  /** The id {@link #getAndIncrement()} would return next. */
  long get();

  /**
   * Sets the next id to hand out; a value not above the current one is ignored, so ids never go
   * back.
   */
  void setCount(long nextId);
}
