package io.baton.taskmanager.network;

/**
 * The batch of records, as objects, that a subpartition read in this TaskManager is currently
 * filling. Used only by the producing task's thread.
 */
final class ObjectBatchBuilder {
  private final Object[] records;
  private final long createdNanos;
  private int count;

  /**
   * @param capacity the most records of the batch
   * @param createdNanos when its first record was added, for the buffer timeout
   */
  ObjectBatchBuilder(int capacity, long createdNanos) {
    this.records = new Object[capacity];
    this.createdNanos = createdNanos;
  }

  void add(Object record) {
    records[count++] = record;
  }

  boolean isFull() {
    return count == records.length;
  }

  long createdNanos() {
    return createdNanos;
  }

  /** The records added so far, as a queue element; the builder must not be used afterwards. */
  SubpartitionBuffer build() {
    return SubpartitionBuffer.objects(records, count);
  }
}
