package io.baton.api.connector;

import io.baton.api.functions.Collector;

/**
 * Reads one parallel instance's share of a source. All methods are called from the task's own
 * thread, one at a time, so a checkpoint cut between two {@link #pollNext} calls is consistent
 * without locks.
 */
public interface SourceReader<T> extends AutoCloseable {

  /** Called once before the first {@link #pollNext}, after {@link #restoreState} if restoring. */
  default void open() throws Exception {}

  /** Emits at most a small batch of records and says whether more are available now. */
  InputStatus pollNext(Collector<T> output) throws Exception;

  /** When {@link #pollNext} said NOTHING_AVAILABLE: how long to wait before polling again. */
  default long nanosUntilAvailable() {
    return 1_000_000L;
  }

  /** The reader's position as of the records emitted so far. */
  default byte[] snapshotState(long checkpointId) throws Exception {
    return new byte[0];
  }

  /** Continues from a position returned by {@link #snapshotState}. */
  default void restoreState(byte[] state) throws Exception {}

  /**
   * Restores after the job's parallelism changed (called instead of {@link #restoreState}): {@code
   * previousStates.get(i)} is what subtask i of the previous run returned from {@link
   * #snapshotState}, for every previous subtask, so each new subtask can take its share. By default
   * a source cannot be rescaled.
   */
  default void restoreRescaledState(java.util.List<byte[]> previousStates) throws Exception {
    throw new UnsupportedOperationException(
        getClass().getName() + " cannot be restored with another parallelism");
  }

  default void notifyCheckpointComplete(long checkpointId) throws Exception {}

  @Override
  default void close() throws Exception {}
}
