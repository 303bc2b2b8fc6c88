package io.baton.api.connector;

/**
 * Writes one parallel instance's records. A transactional writer makes its output visible only in
 * {@link #notifyCheckpointComplete} (or {@link #finish} at the end of a bounded job), so output of
 * an attempt that failed never becomes visible. All methods run on the task's own thread.
 */
public interface SinkWriter<T> extends AutoCloseable {

  /** Called once before the first record, after {@link #restoreState} if restoring. */
  default void open() throws Exception {}

  void write(T record) throws Exception;

  /**
   * Pre-commits what was written since the last checkpoint and returns what is needed to commit it
   * (or roll it back) after a failure.
   */
  default byte[] snapshotState(long checkpointId) throws Exception {
    return new byte[0];
  }

  /** Commits everything pre-committed up to and including this checkpoint. */
  default void notifyCheckpointComplete(long checkpointId) throws Exception {}

  /**
   * Restores what {@link #snapshotState} returned: commits its pre-committed output, drops the
   * rest.
   */
  default void restoreState(byte[] state) throws Exception {}

  /**
   * Restores after the job's parallelism changed (called instead of {@link #restoreState}): {@code
   * previousStates.get(i)} is what subtask i of the previous run returned from {@link
   * #snapshotState}, for every previous subtask, so each new subtask can take its share. By default
   * a sink cannot be rescaled.
   */
  default void restoreRescaledState(java.util.List<byte[]> previousStates) throws Exception {
    throw new UnsupportedOperationException(
        getClass().getName() + " cannot be restored with another parallelism");
  }

  /** The input ended: make everything written so far visible. */
  default void finish() throws Exception {}

  /** Releases resources; output not yet committed stays invisible. */
  @Override
  default void close() throws Exception {}
}
