package io.baton.taskmanager.operators;

import io.baton.api.functions.Collector;
import io.baton.common.serialization.RecordDataOutput;
import io.baton.common.serialization.RecordSerializer;
import io.baton.taskmanager.network.ResultPartition;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * Writes a chain's output records to one outgoing edge: picks the subpartition(s) with the edge's
 * {@link Partitioner}, serializes the record into a reused buffer and hands the bytes to the {@link
 * ResultPartition}, which adds the varint length prefix. Each subpartition is one stream read by
 * one consumer, so each gets its own serializer (serializers may keep per-stream dictionaries).
 *
 * <p>A record of a copy-safe class ({@link CopySafety}) bound for a subpartition whose reader is in
 * this TaskManager is not serialized at all: the partition hands it to the consumer as it is. The
 * serializer of that subpartition then sees only the records that do go as bytes, and so does the
 * consumer's, so their per-stream state stays in step.
 */
public final class RecordWriter implements Collector<Object> {
  private final String name;
  private final ResultPartition partition;
  private final Partitioner partitioner;
  private final Supplier<RecordSerializer> serializers;
  private final RecordSerializer[] serializerPerChannel;
  // one array for every record: no stream, lock or allocation per record
  private final RecordDataOutput buffer = new RecordDataOutput(256);
  private final CopySafety copySafety = new CopySafety();

  /**
   * @param name names the output in errors, e.g. {@code "edge 2 to 'Sum'"}
   */
  public RecordWriter(
      String name,
      ResultPartition partition,
      Partitioner partitioner,
      Supplier<RecordSerializer> serializers) {
    this.name = name;
    this.partition = partition;
    this.partitioner = partitioner;
    this.serializers = serializers;
    this.serializerPerChannel = new RecordSerializer[partition.numberOfSubpartitions()];
  }

  public ResultPartition partition() {
    return partition;
  }

  @Override
  public void collect(Object record) {
    try {
      int channel = partitioner.selectChannel(record);
      if (channel == Partitioner.ALL_CHANNELS) {
        for (int c = 0; c < serializerPerChannel.length; c++) {
          emit(record, c);
        }
      } else {
        emit(record, channel);
      }
    } catch (Exception e) {
      throw OperatorException.wrap(name, e);
    }
  }

  private void emit(Object record, int channel) throws IOException, InterruptedException {
    if (partition.takesObjects(channel)) {
      int bytes = copySafety.footprint(record);
      if (bytes != CopySafety.NOT_COPY_SAFE) {
        partition.emitObject(record, bytes, channel);
        return;
      }
    }
    RecordSerializer serializer = serializerPerChannel[channel];
    if (serializer == null) {
      serializer = serializers.get();
      serializerPerChannel[channel] = serializer;
    }
    buffer.reset();
    serializer.serialize(record, buffer);
    partition.emitRecord(buffer.array(), 0, buffer.size(), channel);
  }
}
