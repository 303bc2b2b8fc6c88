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

  /** A barrier; its data is the checkpoint directory in UTF-8 (empty when not named). */
  static SubpartitionBuffer barrier(long checkpointId, long timestamp, String checkpointDir) {
    byte[] dir =
        checkpointDir == null || checkpointDir.isEmpty()
            ? NO_DATA
            : checkpointDir.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return new SubpartitionBuffer(Kind.BARRIER, dir, dir.length, 0, checkpointId, timestamp);
  }

  /** The checkpoint directory a barrier carries, or empty. */
  String checkpointDir() {
    return new String(data, 0, length, java.nio.charset.StandardCharsets.UTF_8);
  }

  static SubpartitionBuffer endOfPartition() {
    return new SubpartitionBuffer(Kind.END_OF_PARTITION, NO_DATA, 0, 0, 0, 0);
  }

  boolean isEvent() {
    return kind != Kind.RECORDS;
  }
}
