package io.baton.ha.standalone;

import io.baton.ha.CheckpointIdCounter;
import java.util.concurrent.atomic.AtomicLong;

/** A job's checkpoint ids in memory, starting at 1. */
final class StandaloneCheckpointIdCounter implements CheckpointIdCounter {
  private final AtomicLong next = new AtomicLong(1);

  @Override
  public void start() {}

  @Override
  public long getAndIncrement() {
    return next.getAndIncrement();
  }

  @Override
  public long get() {
    return next.get();
  }

  @Override
  public void setCount(long nextId) {
    next.accumulateAndGet(nextId, Math::max);
  }
}
