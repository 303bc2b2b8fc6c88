package io.baton.taskmanager.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.baton.common.rpc.DataBuffer;
import io.grpc.KnownLength;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReceivedBufferMarshallerTest {
  private final ReceivedBufferMarshaller marshaller = new ReceivedBufferMarshaller();

  @Test
  void readsEveryFieldOfADataBufferAndItsPayloadInPlace() {
    byte[] payload = "three records' worth of bytes".getBytes(StandardCharsets.UTF_8);
    DataBuffer message =
        DataBuffer.newBuilder()
            .setKind(DataBuffer.Kind.RECORDS)
            .setPayload(ByteString.copyFrom(payload))
            .setRecordCount(3)
            .setSequenceNumber(41)
            .build();

    ReceivedBuffer read = marshaller.parse(knownLength(message.toByteArray()));

    assertThat(read.kind()).isEqualTo(DataBuffer.Kind.RECORDS);
    assertThat(read.recordCount()).isEqualTo(3);
    assertThat(read.sequenceNumber()).isEqualTo(41);
    assertThat(bytes(read.payload())).isEqualTo(payload);
    // the reader takes records from the array itself: no copy on the way
    assertThat(read.payload().hasArray()).isTrue();
    assertThat(read.payload().isReadOnly()).isFalse();
    assertThat(read.payload().position()).isZero();
  }

  @Test
  void aBarrierKeepsItsIdTimestampAndDirectory() {
    DataBuffer message =
        DataBuffer.newBuilder()
            .setKind(DataBuffer.Kind.BARRIER)
            .setCheckpointId(7)
            .setTimestamp(-1_700_000_000_000L)
            .setPayload(ByteString.copyFromUtf8("file:/cp/chk-7"))
            .setSequenceNumber(2)
            .build();

    ReceivedBuffer read = marshaller.parse(new ByteArrayInputStream(message.toByteArray()));

    assertThat(read.kind()).isEqualTo(DataBuffer.Kind.BARRIER);
    assertThat(read.checkpointId()).isEqualTo(7);
    assertThat(read.timestamp()).isEqualTo(-1_700_000_000_000L);
    assertThat(StandardCharsets.UTF_8.decode(read.payload()).toString())
        .isEqualTo("file:/cp/chk-7");
  }

  @Test
  void unknownFieldsAreSkippedAndAnUnknownKindIsUnrecognized() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeString(99, "from a newer producer");
    out.writeEnum(1, 42);
    out.writeInt64(6, 5);
    out.writeFixed64(98, 123);
    out.flush();

    ReceivedBuffer read = marshaller.parse(knownLength(bytes.toByteArray()));

    assertThat(read.kind()).isEqualTo(DataBuffer.Kind.UNRECOGNIZED);
    assertThat(read.sequenceNumber()).isEqualTo(5);
    assertThat(read.payload().remaining()).isZero();
  }

  @Test
  void aPayloadLongerThanTheMessageIsRefusedInOneLine() {
    byte[] whole =
        DataBuffer.newBuilder()
            .setKind(DataBuffer.Kind.RECORDS)
            .setPayload(ByteString.copyFromUtf8("0123456789"))
            .build()
            .toByteArray();
    byte[] truncated = java.util.Arrays.copyOf(whole, whole.length - 4);

    assertThatThrownBy(() -> marshaller.parse(knownLength(truncated)))
        .isInstanceOf(StatusRuntimeException.class)
        .satisfies(
            e ->
                assertThat(((StatusRuntimeException) e).getStatus().getCode())
                    .isEqualTo(Status.Code.INTERNAL))
        .hasMessageStartingWith("INTERNAL: unreadable data buffer: ");
  }

  @Test
  void whatItReadsItWritesBackAsTheSameMessage() throws IOException {
    DataBuffer message =
        DataBuffer.newBuilder()
            .setKind(DataBuffer.Kind.RECORDS)
            .setPayload(ByteString.copyFromUtf8("abc"))
            .setRecordCount(1)
            .setSequenceNumber(9)
            .build();

    ReceivedBuffer read = marshaller.parse(knownLength(message.toByteArray()));

    assertThat(DataBuffer.parseFrom(marshaller.stream(read))).isEqualTo(message);
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.duplicate().get(out);
    return out;
  }

  /** As gRPC hands a message over: a stream that knows its length. */
  private static ByteArrayInputStream knownLength(byte[] bytes) {
    return new KnownLengthStream(bytes);
  }

  private static final class KnownLengthStream extends ByteArrayInputStream implements KnownLength {
    KnownLengthStream(byte[] bytes) {
      super(bytes);
    }
  }
}
