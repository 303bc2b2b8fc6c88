package io.baton.taskmanager.network;

/**
 * One task's output for one outgoing edge: a bounded queue of buffers per consuming subtask
 * (subpartition). Written only by the producing task's thread; drained by consumers through credit
 * -based flow control. When a subpartition's queue is full, emitting blocks: that is backpressure.
 */
public interface ResultPartition {

  /** The partition id, {@code <producerExecutionId>-<edgeIndex>}. */
  String id();

  int numberOfSubpartitions();

  /**
   * Appends one serialized record to the subpartition's current buffer, sending the buffer once it
   * is full; blocks while the subpartition has no room.
   *
   * @throws InterruptedException when the task is cancelled while blocked
   */
  void emitRecord(byte[] record, int offset, int length, int subpartition)
      throws InterruptedException;

  /**
   * Whether the subpartition's reader is in this TaskManager now, so that {@link #emitObject} may
   * hand it a record as it is. Asked once per record on the producing task's thread; a partition
   * that cannot hand over objects says no.
   */
  default boolean takesObjects(int subpartition) {
    return false;
  }

  /**
   * Appends one record, as it is, to the subpartition's current batch of objects, sending the batch
   * once it is full; blocks while the subpartition has no room. Only for a subpartition that {@link
   * #takesObjects} and a record that never changes after it is emitted (its consumer reads the same
   * object). Keeps the record's place among the serialized ones and the barriers.
   *
   * @param bytes the record's estimated size on the heap: a batch holds about a buffer's worth
   * @throws InterruptedException when the task is cancelled while blocked
   */
  default void emitObject(Object record, int bytes, int subpartition) throws InterruptedException {
    throw new UnsupportedOperationException(
        "partition " + id() + " does not hand records over as objects");
  }

  /** Sends a checkpoint barrier to every subpartition, after the records emitted before it. */
  void broadcastBarrier(long checkpointId, long timestamp) throws InterruptedException;

  /**
   * Sends a checkpoint barrier that names the checkpoint's directory, so the tasks downstream write
   * their state where the source was told to (a savepoint's directory, for one). By default the
   * directory is not carried.
   */
  default void broadcastBarrier(long checkpointId, long timestamp, String checkpointDir)
      throws InterruptedException {
    broadcastBarrier(checkpointId, timestamp);
  }

  /** Sends partly filled buffers and batches whose {@code execution.buffer-timeout} has passed. */
  void flushIfDue() throws InterruptedException;

  /** Sends every partly filled buffer and batch now (called when the task is about to wait). */
  void flushAll() throws InterruptedException;

  /** Flushes and sends END_OF_PARTITION to every subpartition. */
  void finish() throws InterruptedException;

  /** Drops queued buffers and ends consumers' streams; for cancel and failure. Idempotent. */
  void release(Throwable cause);

  /**
   * Bytes emitted so far (length prefixes included; records handed over as objects have none); read
   * on the producing task's thread.
   */
  long bytesOut();

  /** Records emitted so far; read on the producing task's thread. */
  long recordsOut();

  /** Nanoseconds the producer spent blocked for lack of room, since it started. */
  long backpressuredNanos();
}
