package io.baton.taskmanager.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.api.graph.Partitioning;
import io.baton.api.tuple.Tuple2;
import io.baton.common.serialization.RecordSerializer;
import io.baton.taskmanager.task.TestRecordSerializer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class RecordWriterTest {
  private final List<RecordSerializer> created = new ArrayList<>();
  private final Supplier<RecordSerializer> serializers =
      () -> {
        RecordSerializer serializer = new TestRecordSerializer();
        created.add(serializer);
        return serializer;
      };

  @Test
  void emitsExactlyTheSerializedBytesWithoutALengthPrefix() throws Exception {
    CapturingPartition partition = new CapturingPartition(2);
    RecordWriter writer =
        new RecordWriter(
            "edge 0",
            partition,
            // producer 1 of 2 starts its round robin at its own index
            Partitioner.create(Partitioning.REBALANCE, 1, 2, 128, null),
            serializers);
    String longRecord = "x".repeat(300);

    writer.collect("hello");
    writer.collect(longRecord);

    assertThat(partition.emitted).hasSize(2);
    assertThat(partition.emitted.get(0).subpartition()).isEqualTo(1);
    assertThat(partition.emitted.get(0).bytes()).isEqualTo(serialized("hello"));
    assertThat(partition.emitted.get(1).bytes()).isEqualTo(serialized(longRecord));
    assertThat(read(partition.emitted.get(1).bytes())).isEqualTo(longRecord);
  }

  @Test
  void broadcastWritesEverySubpartitionEachWithItsOwnSerializer() {
    CapturingPartition partition = new CapturingPartition(3);
    RecordWriter writer =
        new RecordWriter(
            "edge 1",
            partition,
            Partitioner.create(Partitioning.BROADCAST, 0, 3, 128, null),
            serializers);

    writer.collect(42);
    writer.collect(43);

    assertThat(partition.emitted)
        .extracting(CapturingPartition.Emitted::subpartition)
        .containsExactly(0, 1, 2, 0, 1, 2);
    assertThat(created).hasSize(3);
  }

  @Test
  void aRecordTheSerializerCannotWriteFailsNamingTheOutput() {
    CapturingPartition partition = new CapturingPartition(1);
    RecordWriter writer =
        new RecordWriter(
            "output edge 4 to vertex 7",
            partition,
            Partitioner.create(Partitioning.FORWARD, 0, 1, 128, null),
            serializers);

    assertThatThrownBy(() -> writer.collect(new Object()))
        .isInstanceOf(OperatorException.class)
        .hasMessageStartingWith("operator 'output edge 4 to vertex 7' failed")
        .hasRootCauseInstanceOf(IOException.class);
    assertThat(partition.emitted).isEmpty();
  }

  @Test
  void aCopySafeRecordGoesAsItIsToASubpartitionReadInThisTaskManagerOnly() throws Exception {
    CapturingPartition partition = new CapturingPartition(2, 1);
    RecordWriter writer =
        new RecordWriter(
            "edge 3",
            partition,
            Partitioner.create(Partitioning.BROADCAST, 0, 2, 128, null),
            serializers);
    String text = "shared";
    Tuple2<String, Long> pair = Tuple2.of("k", 7L); // its components are declared Object

    writer.collect(text);
    writer.collect(pair);

    assertThat(partition.emittedObjects)
        .containsExactly(new CapturingPartition.EmittedObject(1, text));
    assertThat(partition.emittedObjects.get(0).record()).isSameAs(text);
    assertThat(partition.emitted)
        .extracting(CapturingPartition.Emitted::subpartition)
        .containsExactly(0, 0, 1);
    assertThat(partition.emitted.get(1).bytes()).isEqualTo(serialized(pair));
    assertThat(read(partition.emitted.get(2).bytes())).isEqualTo(pair);
  }

  private static byte[] serialized(Object record) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new TestRecordSerializer().serialize(record, new DataOutputStream(bytes));
    return bytes.toByteArray();
  }

  private static Object read(byte[] bytes) throws IOException {
    return new TestRecordSerializer()
        .deserialize(new DataInputStream(new ByteArrayInputStream(bytes)));
  }
}
