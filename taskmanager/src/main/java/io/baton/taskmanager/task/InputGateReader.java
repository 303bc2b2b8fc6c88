package io.baton.taskmanager.task;

import io.baton.api.functions.Collector;
import io.baton.common.serialization.RecordDataInput;
import io.baton.common.serialization.RecordSerializer;
import io.baton.taskmanager.network.BufferOrEvent;
import io.baton.taskmanager.network.InputGate;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Supplier;

/**
 * Turns the buffers of one {@link InputGate} back into records: each record in a RECORDS buffer is
 * a varint length followed by the bytes of one serializer call. Each channel is one stream, read
 * with its own serializer. The records of an object batch (from a producer in this TaskManager) are
 * handed on as they are, in their place among the buffers' records. Used only by the task's thread.
 */
final class InputGateReader {
  private final int index;
  private final InputGate gate;
  private final Supplier<RecordSerializer> serializers;
  private final RecordSerializer[] serializerPerChannel;
  private final boolean[] channelEnded;
  // reads each record straight out of the buffer's array: no stream or allocation per record
  private final RecordDataInput recordIn = new RecordDataInput();
  private int endedChannels;

  InputGateReader(int index, InputGate gate, Supplier<RecordSerializer> serializers) {
    this.index = index;
    this.gate = gate;
    this.serializers = serializers;
    this.serializerPerChannel = new RecordSerializer[gate.numberOfChannels()];
    this.channelEnded = new boolean[gate.numberOfChannels()];
  }

  int index() {
    return index;
  }

  InputGate gate() {
    return gate;
  }

  /** True once every channel ended. */
  boolean isFinished() {
    return endedChannels == channelEnded.length || gate.isFinished();
  }

  /**
   * Reads every record of {@code buffer} into {@code target}.
   *
   * @return the number of records read
   * @throws IOException when the buffer does not hold whole records
   */
  int read(BufferOrEvent.Records buffer, Collector<Object> target) throws IOException {
    RecordSerializer serializer = serializerFor(buffer.channel());
    ByteBuffer data = heap(buffer.data());
    byte[] array = data.array();
    int count = 0;
    while (data.hasRemaining()) {
      int length = readVarint(data);
      if (length > data.remaining()) {
        throw corrupt(buffer, "a record of " + length + " bytes but " + data.remaining() + " left");
      }
      int start = data.arrayOffset() + data.position();
      recordIn.reset(array, start, length);
      Object value = serializer.deserialize(recordIn);
      if (recordIn.remaining() > 0) {
        throw corrupt(buffer, "the serializer left " + recordIn.remaining() + " bytes of a record");
      }
      data.position(data.position() + length);
      count++;
      target.collect(value);
    }
    return count;
  }

  /**
   * Hands every record of a batch of objects to {@code target} as it is.
   *
   * @return the number of records handed on
   */
  int read(BufferOrEvent.ObjectBatch batch, Collector<Object> target) {
    Object[] records = batch.records();
    int count = batch.recordCount();
    for (int i = 0; i < count; i++) {
      target.collect(records[i]);
    }
    return count;
  }

  /** The buffer itself when it is backed by an accessible array (always so today), or a copy. */
  private static ByteBuffer heap(ByteBuffer data) {
    if (data.hasArray() && !data.isReadOnly()) {
      return data;
    }
    ByteBuffer copy = ByteBuffer.allocate(data.remaining());
    copy.put(data.duplicate()).flip();
    return copy;
  }

  /** True once {@code channel} delivered END_OF_PARTITION. */
  boolean isChannelEnded(int channel) {
    return channelEnded[channel];
  }

  /** Notes that a channel ended; true when it was the last one. */
  boolean endOfPartition(int channel) {
    if (!channelEnded[channel]) {
      channelEnded[channel] = true;
      endedChannels++;
    }
    return isFinished();
  }

  private RecordSerializer serializerFor(int channel) {
    RecordSerializer serializer = serializerPerChannel[channel];
    if (serializer == null) {
      serializer = serializers.get();
      serializerPerChannel[channel] = serializer;
    }
    return serializer;
  }

  private IOException corrupt(BufferOrEvent.Records buffer, String what) {
    return new IOException(
        "corrupt buffer on channel " + buffer.channel() + " of input " + index + ": " + what);
  }

  /** An unsigned LEB128 int: 7 bits per byte, low bits first, high bit set on all but the last. */
  static int readVarint(ByteBuffer in) throws IOException {
    int value = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      if (!in.hasRemaining()) {
        throw new IOException("buffer ends inside a record length");
      }
      byte b = in.get();
      value |= (b & 0x7f) << shift;
      if (b >= 0) {
        if (value < 0) {
          throw new IOException("record length " + Integer.toUnsignedString(value) + " too large");
        }
        return value;
      }
    }
    throw new IOException("record length longer than 5 bytes");
  }
}
