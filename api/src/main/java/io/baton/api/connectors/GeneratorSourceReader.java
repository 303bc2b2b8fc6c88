package io.baton.api.connectors;

import io.baton.api.connector.InputStatus;
import io.baton.api.connector.SourceReader;
import io.baton.api.functions.Collector;
import java.util.List;
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

  /**
   * The next index to consider; every index below it was emitted or belongs to another subtask.
   * After a rescaled restore, indices above it may have been emitted by the previous run: {@code
   * restoredFrom} says which, until {@code nextIndex} passes {@code restoredFromEnd}.
   */
  private long nextIndex;

  private ReaderPosition restoredFrom;
  private long restoredFromEnd;

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
      if (!owns(nextIndex) || emittedBeforeRestore(nextIndex)) {
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

  private boolean emittedBeforeRestore(long index) {
    return index < restoredFromEnd && restoredFrom.emittedByHistory(index, assigner);
  }

  private long nextCandidateAfter(long index) {
    long candidate = index + 1;
    if (assigner == SubtaskAssigner.RoundRobin.INSTANCE) {
      return candidate + Math.floorMod(subtask - candidate, (long) parallelism);
    }
    return candidate;
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
    return position().toBytes();
  }

  private ReaderPosition position() {
    List<ReaderPosition> history = restoredFrom == null ? List.of() : restoredFrom.history();
    return new ReaderPosition(subtask, parallelism, nextIndex, history).withNext(nextIndex);
  }

  @Override
  public void restoreState(byte[] state) {
    restore(
        ReaderPosition.fromBytes(state, "generator source")
            .requireOwner(subtask, parallelism, "generator source"));
  }

  /**
   * Emits exactly the indices this subtask owns now that no previous subtask had emitted: index
   * {@code i} was emitted iff it is below the next index of the subtask that owned it before.
   */
  @Override
  public void restoreRescaledState(List<byte[]> previousStates) {
    List<ReaderPosition> previous =
        previousStates.stream()
            .map(state -> ReaderPosition.fromBytes(state, "generator source"))
            .toList();
    restore(ReaderPosition.rescaled(subtask, parallelism, previous));
  }

  private void restore(ReaderPosition position) {
    nextIndex = position.next();
    restoredFrom = position;
    restoredFromEnd = position.historyEnd();
    started = false; // the rate schedule restarts from the restored index
  }

  /** For tests: the next index this reader considers. */
  long nextIndex() {
    return nextIndex;
  }
}
