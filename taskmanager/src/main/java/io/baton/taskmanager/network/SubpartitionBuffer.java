package io.baton.taskmanager.network;

import java.nio.charset.StandardCharsets;

/**
 * One element of a subpartition's queue: a finished buffer of serialized records, a batch of
 * records as objects, or an event. Immutable once queued: the producer never touches {@code data}
 * or {@code objects} again, so readers may hand them on without copying.
 *
 * @param data for RECORDS, the records in {@code [0, length)}; for a BARRIER, its checkpoint
 *     directory; an empty array otherwise
 * @param objects for OBJECTS, the records in {@code [0, recordCount)}, each of a class that never
 *     changes after it was emitted; an empty array otherwise
 */
record SubpartitionBuffer(
    Kind kind,
    byte[] data,
    int length,
    Object[] objects,
    int recordCount,
    long checkpointId,
    long timestamp) {

  private static final byte[] NO_DATA = new byte[0];
  private static final Object[] NO_OBJECTS = new Object[0];

  enum Kind {
    /** Serialized records, each a varint length and its bytes: any reader may take it. */
    RECORDS,
    /** Records as objects, for a reader in the producer's TaskManager only. */
    OBJECTS,
    BARRIER,
    END_OF_PARTITION
  }

  static SubpartitionBuffer records(byte[] data, int length, int recordCount) {
    return new SubpartitionBuffer(Kind.RECORDS, data, length, NO_OBJECTS, recordCount, 0, 0);
  }

  /** A batch of records handed over as they are; it takes one credit, as a buffer does. */
  static SubpartitionBuffer objects(Object[] records, int recordCount) {
    return new SubpartitionBuffer(Kind.OBJECTS, NO_DATA, 0, records, recordCount, 0, 0);
  }

  /** A barrier; its data is the checkpoint directory in UTF-8 (empty when not named). */
  static SubpartitionBuffer barrier(long checkpointId, long timestamp, String checkpointDir) {
    byte[] dir =
        checkpointDir == null || checkpointDir.isEmpty()
            ? NO_DATA
            : checkpointDir.getBytes(StandardCharsets.UTF_8);
    return new SubpartitionBuffer(
        Kind.BARRIER, dir, dir.length, NO_OBJECTS, 0, checkpointId, timestamp);
  }

  /** The checkpoint directory a barrier carries, or empty. */
  String checkpointDir() {
    return new String(data, 0, length, StandardCharsets.UTF_8);
  }

  static SubpartitionBuffer endOfPartition() {
    return new SubpartitionBuffer(Kind.END_OF_PARTITION, NO_DATA, 0, NO_OBJECTS, 0, 0, 0);
  }

  /** Barriers and the end: they may take one place more than a full queue of records. */
  boolean isEvent() {
    return kind == Kind.BARRIER || kind == Kind.END_OF_PARTITION;
  }
}
