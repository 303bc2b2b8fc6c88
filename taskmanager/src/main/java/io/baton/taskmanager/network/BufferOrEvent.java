package io.baton.taskmanager.network;

import java.nio.ByteBuffer;

/**
 * What a task reads from one channel of an {@link InputGate}, in the order the producer sent it.
 */
public sealed interface BufferOrEvent {

  /** The channel (index into the gate's channels, i.e. the producing subtask's position). */
  int channel();

  /**
   * Serialized records: each is a varint length followed by that many bytes.
   *
   * @param data readable from position to limit; owned by the reader from now on
   */
  record Records(int channel, ByteBuffer data, int recordCount) implements BufferOrEvent {}

  /**
   * Records handed over as objects by a producer in this TaskManager, never serialized: each is of
   * a class that does not change after it was emitted, so the reader may pass it on as it is.
   *
   * @param records the records in {@code [0, recordCount)}; owned by the reader from now on
   */
  record ObjectBatch(int channel, Object[] records, int recordCount) implements BufferOrEvent {}

  /**
   * A checkpoint barrier; all records before it belong to the checkpoint.
   *
   * @param checkpointDir where the checkpoint's (or savepoint's) files go, as the source was told;
   *     empty when the producer did not say
   */
  record Barrier(int channel, long checkpointId, long timestamp, String checkpointDir)
      implements BufferOrEvent {

    public Barrier {
      checkpointDir = checkpointDir == null ? "" : checkpointDir;
    }

    /** A barrier that does not name its checkpoint's directory. */
    public Barrier(int channel, long checkpointId, long timestamp) {
      this(channel, checkpointId, timestamp, "");
    }
  }

  /** The producer finished; nothing more comes on this channel. */
  record EndOfPartition(int channel) implements BufferOrEvent {}
}
