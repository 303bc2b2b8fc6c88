package io.baton.taskmanager.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.api.tuple.Tuple2;
import io.baton.taskmanager.network.BufferOrEvent;
import io.baton.taskmanager.network.InputGate;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InputGateReaderTest {
  private final InputGateReader reader =
      new InputGateReader(0, new TwoChannelGate(), TestRecordSerializer::new);
  private final List<Object> read = new ArrayList<>();

  @Test
  void readsEveryLengthPrefixedRecordOfABuffer() throws Exception {
    String big = "y".repeat(20_000); // a three-byte length
    ByteBuffer data = buffer("a", 1, big, Tuple2.of("k", 7L));

    int count = reader.read(new BufferOrEvent.Records(1, data, 4), read::add);

    assertThat(count).isEqualTo(4);
    assertThat(read).containsExactly("a", 1, big, Tuple2.of("k", 7L));
    assertThat(data.hasRemaining()).isFalse();
  }

  @Test
  void theRecordsOfAnObjectBatchAreHandedOnAsTheyAreBetweenTheBuffersRecords() throws Exception {
    String shared = "handed over";
    Object[] batch = {shared, 2L, null, "unused slot"};

    reader.read(new BufferOrEvent.Records(0, buffer("first"), 1), read::add);
    int count = reader.read(new BufferOrEvent.ObjectBatch(0, batch, 3), read::add);
    reader.read(new BufferOrEvent.Records(0, buffer("last"), 1), read::add);

    assertThat(count).isEqualTo(3);
    assertThat(read).containsExactly("first", shared, 2L, null, "last");
    assertThat(read.get(1)).isSameAs(shared);
  }

  @Test
  void aBufferCutInsideARecordIsReportedAsCorrupt() throws Exception {
    ByteBuffer whole = buffer("hello");
    ByteBuffer cut = ByteBuffer.wrap(whole.array(), 0, whole.limit() - 2);

    assertThatThrownBy(() -> reader.read(new BufferOrEvent.Records(0, cut, 1), read::add))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("corrupt buffer on channel 0 of input 0");
  }

  @Test
  void varintsOfOneToFiveBytesAreRead() throws Exception {
    for (int value : new int[] {0, 127, 128, 16_383, 16_384, Integer.MAX_VALUE}) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      InMemoryNetwork.writeVarint(bytes, value);

      assertThat(InputGateReader.readVarint(ByteBuffer.wrap(bytes.toByteArray()))).isEqualTo(value);
    }
  }

  @Test
  void theInputEndsWhenEveryChannelEnded() {
    assertThat(reader.endOfPartition(1)).isFalse();
    assertThat(reader.endOfPartition(1)).isFalse();
    assertThat(reader.isFinished()).isFalse();
    assertThat(reader.endOfPartition(0)).isTrue();
  }

  private static ByteBuffer buffer(Object... records) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object record : records) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      new TestRecordSerializer().serialize(record, new DataOutputStream(bytes));
      InMemoryNetwork.writeVarint(out, bytes.size());
      bytes.writeTo(out);
    }
    return ByteBuffer.wrap(out.toByteArray());
  }

  /** Only its channel count matters here. */
  private static final class TwoChannelGate implements InputGate {
    @Override
    public int numberOfChannels() {
      return 2;
    }

    @Override
    public void requestPartitions() {}

    @Override
    public Optional<BufferOrEvent> pollNext(Duration timeout) {
      return Optional.empty();
    }

    @Override
    public void wakeUp() {}

    @Override
    public void blockChannel(int channel) {}

    @Override
    public void unblockAll() {}

    @Override
    public boolean isFinished() {
      return false;
    }

    @Override
    public long bytesIn() {
      return 0;
    }

    @Override
    public void close() {}
  }
}
