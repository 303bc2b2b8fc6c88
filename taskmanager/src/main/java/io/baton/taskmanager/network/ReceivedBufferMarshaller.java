package io.baton.taskmanager.network;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import io.baton.common.rpc.DataBuffer;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * Reads a {@link DataBuffer} message into a {@link ReceivedBuffer} with one copy: the message's
 * bytes into an array of its own, whose payload the records are then read from in place. gRPC's
 * protobuf marshaller copied a 32 KiB payload twice more (into the parsed message, then out of it),
 * about 7 % of what a TaskManager allocated in the Ledger benchmark. The wire format is
 * DataBuffer's, field by field; unknown fields are skipped, as protobuf does.
 */
final class ReceivedBufferMarshaller implements MethodDescriptor.Marshaller<ReceivedBuffer> {
  private static final int KIND = 1;
  private static final int PAYLOAD = 2;
  private static final int CHECKPOINT_ID = 3;
  private static final int TIMESTAMP = 4;
  private static final int RECORD_COUNT = 5;
  private static final int SEQUENCE_NUMBER = 6;

  @Override
  public InputStream stream(ReceivedBuffer buffer) {
    ByteBuffer payload = buffer.payload().duplicate();
    return DataBuffer.newBuilder()
        .setKind(buffer.kind())
        .setPayload(UnsafeByteOperations.unsafeWrap(payload))
        .setCheckpointId(buffer.checkpointId())
        .setTimestamp(buffer.timestamp())
        .setRecordCount(buffer.recordCount())
        .setSequenceNumber(buffer.sequenceNumber())
        .build()
        .toByteString()
        .newInput();
  }

  @Override
  public ReceivedBuffer parse(InputStream stream) {
    try {
      byte[] bytes = readAll(stream);
      CodedInputStream in = CodedInputStream.newInstance(bytes);
      int kind = 0;
      int payloadOffset = 0;
      int payloadLength = 0;
      long checkpointId = 0;
      long timestamp = 0;
      int recordCount = 0;
      long sequenceNumber = 0;
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        int field = WireFormat.getTagFieldNumber(tag);
        int wireType = WireFormat.getTagWireType(tag);
        if (field == PAYLOAD && wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
          payloadLength = in.readRawVarint32();
          payloadOffset = in.getTotalBytesRead();
          in.skipRawBytes(payloadLength); // fails on a length past the message's end
        } else if (wireType == WireFormat.WIRETYPE_VARINT && field >= KIND && field <= 6) {
          long value = in.readRawVarint64();
          switch (field) {
            case KIND -> kind = (int) value;
            case CHECKPOINT_ID -> checkpointId = value;
            case TIMESTAMP -> timestamp = value;
            case RECORD_COUNT -> recordCount = (int) value;
            case SEQUENCE_NUMBER -> sequenceNumber = value;
            default -> {} // a varint where the payload belongs: skipped, as protobuf would
          }
        } else if (!in.skipField(tag)) {
          break; // an end-group tag: nothing of DataBuffer's follows
        }
      }
      DataBuffer.Kind parsedKind = DataBuffer.Kind.forNumber(kind);
      return new ReceivedBuffer(
          parsedKind == null ? DataBuffer.Kind.UNRECOGNIZED : parsedKind,
          ByteBuffer.wrap(bytes, payloadOffset, payloadLength).slice(),
          checkpointId,
          timestamp,
          recordCount,
          sequenceNumber);
    } catch (IOException e) {
      throw Status.INTERNAL
          .withDescription("unreadable data buffer: " + e.getMessage())
          .withCause(e)
          .asRuntimeException();
    }
  }

  /** gRPC's message streams know their length, so the bytes are read once, into one array. */
  private static byte[] readAll(InputStream stream) throws IOException {
    if (stream instanceof KnownLength) {
      int size = stream.available();
      byte[] bytes = new byte[size];
      int read = stream.readNBytes(bytes, 0, size);
      if (read == size && stream.read() == -1) {
        return bytes;
      }
      throw new IOException("the message was not the " + size + " bytes its stream announced");
    }
    return stream.readAllBytes();
  }
}
