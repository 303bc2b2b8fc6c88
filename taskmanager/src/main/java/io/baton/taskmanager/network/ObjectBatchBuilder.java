package io.baton.taskmanager.network;

/**
 * The batch of records, as objects, that a subpartition read in this TaskManager is currently
 * filling: full at its capacity of records or once their estimated heap bytes reach a buffer's
 * size, so the batches a consumer's credit admits hold about what its buffers would. Used only by
 * the producing task's thread.
 */
final class ObjectBatchBuilder {
  private final Object[] records;
  private final long byteBudget;
  private final long createdNanos;
  private int count;
  private long bytes;

  /**
   * @param capacity the most records of the batch
   * @param byteBudget the batch is full once its records' estimated heap bytes reach this
   * @param createdNanos when its first record was added, for the buffer timeout
   */
  ObjectBatchBuilder(int capacity, int byteBudget, long createdNanos) {
    this.records = new Object[capacity];
    this.byteBudget = byteBudget;
    this.createdNanos = createdNanos;
  }

  /**
   * @param recordBytes the record's estimated heap bytes
   */
  void add(Object record, int recordBytes) {
    records[count++] = record;
    bytes += recordBytes;
  }

  boolean isFull() {
    return count == records.length || bytes >= byteBudget;
  }

  long createdNanos() {
    return createdNanos;
  }

  /** The records added so far, as a queue element; the builder must not be used afterwards. */
  SubpartitionBuffer build() {
    return SubpartitionBuffer.objects(records, count);
  }
}
