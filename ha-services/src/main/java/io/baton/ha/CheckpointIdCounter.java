package io.baton.ha;

import java.io.IOException;

/**
 * Hands out one job's checkpoint ids, strictly increasing, starting at 1. After a restore the
 * counter is moved past the restored id so that new checkpoints never reuse a directory name. In
 * ZooKeeper mode moving it fails with {@link LeadershipLostException} once the writer no longer
 * leads.
 */
public interface CheckpointIdCounter {

  /** Prepares the counter for use; calling it again does nothing. */
  void start() throws IOException;

  /** The next id to use, and moves the counter on. */
  long getAndIncrement() throws IOException;

  /** The id {@link #getAndIncrement()} would return next. */
  long get() throws IOException;

  /**
   * Sets the next id to hand out; a value not above the current one is ignored, so ids never go
   * back.
   */
  void setCount(long nextId) throws IOException;
}
