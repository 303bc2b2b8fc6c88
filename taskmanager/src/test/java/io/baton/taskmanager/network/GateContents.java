package io.baton.taskmanager.network;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/** Reads a gate to its end and tells, per channel, what arrived in which order. */
final class GateContents {
  private GateContents() {}

  /** The varint-length-prefixed records of a buffer, decoded independently of the producer. */
  static List<byte[]> records(BufferOrEvent.Records buffer) throws IOException {
    ByteBuffer data = buffer.data().duplicate();
    CodedInputStream in = CodedInputStream.newInstance(data);
    List<byte[]> records = new ArrayList<>();
    while (!in.isAtEnd()) {
      int length = in.readRawVarint32();
      records.add(in.readRawBytes(length));
    }
    assertThat(records).hasSize(buffer.recordCount());
    return records;
  }

  /**
   * Everything each channel delivered until the gate finished: records as their UTF-8 text,
   * barriers as "barrier:<id>" (with "@<dir>" when they name a directory), the end as "end".
   */
  static List<List<String>> readAllAsText(InputGate gate, Duration timeout) throws Exception {
    List<List<String>> channels = new ArrayList<>();
    for (int i = 0; i < gate.numberOfChannels(); i++) {
      channels.add(new ArrayList<>());
    }
    readAll(
        gate,
        timeout,
        (channel, record) -> channels.get(channel).add(new String(record, StandardCharsets.UTF_8)),
        channels);
    return channels;
  }

  /** Reads until the gate finished, handing each record to {@code onRecord}. */
  static void readAll(
      InputGate gate,
      Duration timeout,
      BiConsumer<Integer, byte[]> onRecord,
      List<List<String>> eventsPerChannel)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!gate.isFinished()) {
      assertThat(System.nanoTime()).as("gate finished in time").isLessThan(deadline);
      Optional<BufferOrEvent> next = gate.pollNext(Duration.ofMillis(100));
      if (next.isEmpty()) {
        continue;
      }
      BufferOrEvent element = next.get();
      if (element instanceof BufferOrEvent.Records buffer) {
        for (byte[] record : records(buffer)) {
          onRecord.accept(buffer.channel(), record);
        }
      } else if (eventsPerChannel != null && element instanceof BufferOrEvent.Barrier barrier) {
        eventsPerChannel
            .get(barrier.channel())
            .add(
                "barrier:"
                    + barrier.checkpointId()
                    + (barrier.checkpointDir().isEmpty() ? "" : "@" + barrier.checkpointDir()));
      } else if (eventsPerChannel != null) {
        eventsPerChannel.get(element.channel()).add("end");
      }
    }
  }

  /** Polls until the gate throws, and returns what it threw. */
  static IOException pollUntilFailure(InputGate gate, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        gate.pollNext(Duration.ofMillis(100));
      } catch (IOException e) {
        return e;
      }
    }
    throw new AssertionError("the gate did not fail within " + timeout);
  }
}
