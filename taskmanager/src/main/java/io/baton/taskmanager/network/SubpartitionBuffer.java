package io.baton.taskmanager.network;

/**
 * One element of a subpartition's queue: a finished buffer of records or an event. Immutable once
 * queued: the producer never touches {@code data} again, so readers may hand it on without copying.
 *
 * @param data for RECORDS, the records in {@code [0, length)}; an empty array for events
 */
record SubpartitionBuffer(
    Kind kind, byte[] data, int length, int recordCount, long checkpointId, long timestamp) {

  private static final byte[] NO_DATA = new byte[0];

  enum Kind {
    RECORDS,
    BARRIER,
    END_OF_PARTITION
  }

  static SubpartitionBuffer records(byte[] data, int length, int recordCount) {
    return new SubpartitionBuffer(Kind.RECORDS, data, length, recordCount, 0, 0);
  }

  static SubpartitionBuffer barrier(long checkpointId, long timestamp) {
    return new SubpartitionBuffer(Kind.BARRIER, NO_DATA, 0, 0, checkpointId, timestamp);
  }

  static SubpartitionBuffer endOfPartition() {
    return new SubpartitionBuffer(Kind.END_OF_PARTITION, NO_DATA, 0, 0, 0, 0);
  }

  boolean isEvent() {
    return kind != Kind.RECORDS;
  }
}
