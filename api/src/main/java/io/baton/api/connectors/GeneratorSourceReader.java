package io.baton.api.connectors;

import io.baton.api.connector.InputStatus;
import io.baton.api.connector.SourceReader;
import io.baton.api.functions.Collector;
import java.nio.ByteBuffer;
import java.util.function.LongSupplier;

/** One subtask's share of a {@link GeneratorSource}. */
final class GeneratorSourceReader<T> implements SourceReader<T> {
  static final int MAX_BATCH = 64;
  // bounds the work of one poll when the assigner gives this subtask few indices
  static final int MAX_SCAN = 64 * 1024;

  private final GeneratorFunction<T> generator;
  private final long count;
  private final double ratePerSecond;
  private final SubtaskAssigner assigner;
  private final int subtask;
  private final int parallelism;
  private final LongSupplier nanoClock;

  /** The next index to consider; every index below it was emitted or belongs to another subtask. */
  private long nextIndex;

  /** Rate schedule: index {@code startIndex} is due at {@code startNanos}. */
  private long startIndex;

  private long startNanos;
  private boolean started;
  private long nanosUntilAvailable;

  GeneratorSourceReader(
      GeneratorFunction<T> generator,
      long count,
      double ratePerSecond,
      SubtaskAssigner assigner,
      int subtask,
      int parallelism,
      LongSupplier nanoClock) {
    this.generator = generator;
    this.count = count;
    this.ratePerSecond = ratePerSecond;
    this.assigner = assigner;
    this.subtask = subtask;
    this.parallelism = parallelism;
    this.nanoClock = nanoClock;
  }

  @Override
  public void open() {
    startClock();
  }

  @Override
  public InputStatus pollNext(Collector<T> output) throws Exception {
    startClock();
    long end = count == GeneratorSource.UNBOUNDED ? Long.MAX_VALUE : count;
    int emitted = 0;
    int skipped = 0;
    while (emitted < MAX_BATCH) {
      if (nextIndex >= end) {
        // report the end on the next poll so this batch counts as ordinary output
        return emitted > 0 ? InputStatus.MORE_AVAILABLE : InputStatus.END_OF_INPUT;
      }
      if (!owns(nextIndex)) {
        if (++skipped > MAX_SCAN) {
          return InputStatus.MORE_AVAILABLE;
        }
        nextIndex = nextCandidateAfter(nextIndex);
        continue;
      }
      if (ratePerSecond > 0) {
        long wait = dueNanos(nextIndex) - nanoClock.getAsLong();
        if (wait > 0) {
          nanosUntilAvailable = wait;
          return InputStatus.NOTHING_AVAILABLE;
        }
      }
      output.collect(generator.generate(nextIndex));
      nextIndex++;
      emitted++;
    }
    return InputStatus.MORE_AVAILABLE;
  }

  private boolean owns(long index) {
    return assigner.subtaskFor(index, parallelism) == subtask;
  }

  private long nextCandidateAfter(long notOwned) {
    if (assigner == SubtaskAssigner.RoundRobin.INSTANCE) {
      return notOwned + Math.floorMod(subtask - notOwned, (long) parallelism);
    }
    return notOwned + 1;
  }

  private long dueNanos(long index) {
    return startNanos + (long) ((index - startIndex) * 1e9 / ratePerSecond);
  }

  private void startClock() {
    if (!started) {
      started = true;
      startIndex = nextIndex;
      startNanos = nanoClock.getAsLong();
    }
  }

  @Override
  public long nanosUntilAvailable() {
    return nanosUntilAvailable;
  }

  @Override
  public byte[] snapshotState(long checkpointId) {
    return ByteBuffer.allocate(Long.BYTES).putLong(nextIndex).array();
  }

  @Override
  public void restoreState(byte[] state) {
    if (state.length != Long.BYTES) {
      throw new IllegalArgumentException(
          "generator source state must be 8 bytes (the next index), not " + state.length);
    }
    nextIndex = ByteBuffer.wrap(state).getLong();
    started = false; // the rate schedule restarts from the restored index
  }

  /** For tests: the next index this reader considers. */
  long nextIndex() {
    return nextIndex;
  }
}
