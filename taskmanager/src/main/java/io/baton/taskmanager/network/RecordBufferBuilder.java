package io.baton.taskmanager.network;

/**
 * The buffer a subpartition is currently filling with length-prefixed records. Used only by the
 * producing task's thread.
 */
final class RecordBufferBuilder {
  private final byte[] data;
  private final long createdNanos;
  private int position;
  private int recordCount;

  /**
   * @param capacity bytes of the buffer
   * @param createdNanos when its first record was written, for the buffer timeout
   */
  RecordBufferBuilder(int capacity, long createdNanos) {
    this.data = new byte[capacity];
    this.createdNanos = createdNanos;
  }

  /** Whether {@code framedLength} more bytes (prefix included) fit. */
  boolean hasRoomFor(int framedLength) {
    return data.length - position >= framedLength;
  }

  boolean isFull() {
    return position == data.length;
  }

  void append(byte[] record, int offset, int length) {
    position = LengthPrefix.write(length, data, position);
    System.arraycopy(record, offset, data, position, length);
    position += length;
    recordCount++;
  }

  long createdNanos() {
    return createdNanos;
  }

  /** The records written so far, as a queue element; the builder must not be used afterwards. */
  SubpartitionBuffer build() {
    return SubpartitionBuffer.records(data, position, recordCount);
  }
}
