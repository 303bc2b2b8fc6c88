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

  /** A checkpoint barrier; all records before it belong to the checkpoint. */
  record Barrier(int channel, long checkpointId, long timestamp) implements BufferOrEvent {}

  /** The producer finished; nothing more comes on this channel. */
  record EndOfPartition(int channel) implements BufferOrEvent {}
}
