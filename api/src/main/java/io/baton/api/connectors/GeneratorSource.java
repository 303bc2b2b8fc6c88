package io.baton.api.connectors;

import io.baton.api.connector.Source;
import io.baton.api.connector.SourceReader;
import io.baton.api.functions.TaskInfo;
import java.util.Objects;

/**
 * Emits the records of indices 0, 1, 2, ... made by a {@link GeneratorFunction}: {@code count} of
 * them, or without end when {@code count} is -1. Each index goes to one subtask (by a {@link
 * SubtaskAssigner}, round robin by default), which emits its indices in increasing order. With a
 * rate, index {@code i} is emitted no earlier than {@code i / ratePerSecond} seconds after the
 * reader started (from where it was restored), so all subtasks together emit about {@code
 * ratePerSecond} records per second.
 *
 * <p>The reader's checkpointed state is its subtask, the parallelism and the next index to
 * consider, so a restored source emits exactly the records after the checkpoint. Restored with
 * another parallelism, each new subtask emits the indices the assigner gives it that the subtask
 * owning them before had not emitted yet, still in increasing order (so an assigner that keeps each
 * key on one subtask keeps each key's records in order).
 *
 * @param <T> record type
 */
public final class GeneratorSource<T> implements Source<T> {
  /** {@code count} of an unbounded source. */
  public static final long UNBOUNDED = -1;

  private final GeneratorFunction<T> generator;
  private final long count;
  private final double ratePerSecond;
  private final SubtaskAssigner assigner;

  /**
   * @param generator makes the record of each index
   * @param count number of records, or {@link #UNBOUNDED}
   * @param ratePerSecond records per second over all subtasks; 0 for as fast as possible
   */
  public GeneratorSource(GeneratorFunction<T> generator, long count, double ratePerSecond) {
    this(generator, count, ratePerSecond, SubtaskAssigner.roundRobin());
  }

  /**
   * @param generator makes the record of each index
   * @param count number of records, or {@link #UNBOUNDED}
   * @param ratePerSecond records per second over all subtasks; 0 for as fast as possible
   * @param assigner which subtask emits each index
   */
  public GeneratorSource(
      GeneratorFunction<T> generator, long count, double ratePerSecond, SubtaskAssigner assigner) {
    this.generator = Objects.requireNonNull(generator, "generator");
    this.assigner = Objects.requireNonNull(assigner, "assigner");
    if (count < UNBOUNDED) {
      throw new IllegalArgumentException(
          "record count must be at least 0 (or -1 for unbounded), not " + count);
    }
    if (!(ratePerSecond >= 0) || Double.isInfinite(ratePerSecond)) {
      throw new IllegalArgumentException(
          "rate must be a finite number of records per second >= 0, not " + ratePerSecond);
    }
    this.count = count;
    this.ratePerSecond = ratePerSecond;
  }

  @Override
  public SourceReader<T> createReader(TaskInfo taskInfo) {
    return new GeneratorSourceReader<>(
        generator,
        count,
        ratePerSecond,
        assigner,
        taskInfo.subtaskIndex(),
        taskInfo.parallelism(),
        System::nanoTime);
  }

  @Override
  public boolean isBounded() {
    return count != UNBOUNDED;
  }
}
