package io.baton.taskmanager.network;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ResultPartition} streamed to its consumers while it is produced: one bounded {@link
 * PipelinedSubpartition} per consumer, each filled through its own {@link RecordBufferBuilder}, or,
 * for records handed over as objects to a consumer in this TaskManager, its own {@link
 * ObjectBatchBuilder}. A subpartition has at most one of the two open at a time: a record of the
 * other kind sends the open one first, so records keep their order across the two kinds.
 *
 * <p>All writing methods run on the producing task's thread only. Once every consumer has taken its
 * END_OF_PARTITION, or on release, the partition takes itself out of the registry.
 */
final class PipelinedResultPartition implements ResultPartition {
  private static final Logger LOG = LoggerFactory.getLogger(PipelinedResultPartition.class);

  private final String id;
  private final int bufferSize;
  private final long bufferTimeoutNanos;
  private final LongSupplier nanoClock;
  private final ResultPartitionRegistry registry;
  private final PipelinedSubpartition[] subpartitions;
  private final RecordBufferBuilder[] builders;
  private final ObjectBatchBuilder[] batches;
  private final int maxRecordsPerBatch;
  private final AtomicInteger subpartitionsToConsume;

  private final AtomicBoolean released = new AtomicBoolean();
  private boolean finished;

  // written and read only by the producing task's thread, which publishes them to TaskIoMetrics;
  // not volatile, since a volatile store per record is a full fence on the record path
  private long bytesOut;
  private long recordsOut;

  PipelinedResultPartition(
      String id,
      int numberOfSubpartitions,
      NetworkSettings settings,
      ResultPartitionRegistry registry,
      LongSupplier nanoClock) {
    if (numberOfSubpartitions <= 0) {
      throw new IllegalArgumentException(
          "partition " + id + " needs at least one subpartition, got " + numberOfSubpartitions);
    }
    this.id = Objects.requireNonNull(id);
    this.bufferSize = settings.bufferSize();
    this.bufferTimeoutNanos = settings.bufferTimeout().toNanos();
    this.nanoClock = nanoClock;
    this.registry = registry;
    this.subpartitions = new PipelinedSubpartition[numberOfSubpartitions];
    this.builders = new RecordBufferBuilder[numberOfSubpartitions];
    this.batches = new ObjectBatchBuilder[numberOfSubpartitions];
    this.maxRecordsPerBatch = maxRecordsPerBatch(bufferSize);
    this.subpartitionsToConsume = new AtomicInteger(numberOfSubpartitions);
    for (int i = 0; i < numberOfSubpartitions; i++) {
      subpartitions[i] =
          new PipelinedSubpartition(
              id, i, settings.buffersPerSubpartition(), this::onSubpartitionConsumed);
    }
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public int numberOfSubpartitions() {
    return subpartitions.length;
  }

  @Override
  public void emitRecord(byte[] record, int offset, int length, int subpartition)
      throws InterruptedException {
    Objects.checkFromIndexSize(offset, length, record.length);
    if (!accepts(subpartition)) {
      return;
    }
    if (batches[subpartition] != null) {
      send(subpartition); // the objects emitted before this record go first
    }
    int framedLength = LengthPrefix.sizeOf(length) + length;
    RecordBufferBuilder builder = builders[subpartition];
    if (builder != null && !builder.hasRoomFor(framedLength)) {
      send(subpartition);
      builder = null;
    }
    if (builder == null) {
      // a record larger than a buffer gets a buffer of its own size
      builder = new RecordBufferBuilder(Math.max(bufferSize, framedLength), nanoClock.getAsLong());
      builders[subpartition] = builder;
    }
    builder.append(record, offset, length);
    bytesOut += framedLength;
    recordsOut++;
    if (builder.isFull()) {
      send(subpartition);
    }
  }

  @Override
  public boolean takesObjects(int subpartition) {
    return subpartitions[subpartition].takesObjects();
  }

  @Override
  public void emitObject(Object record, int bytes, int subpartition) throws InterruptedException {
    if (!accepts(subpartition)) {
      return;
    }
    if (builders[subpartition] != null) {
      send(subpartition); // the bytes written before this record go first
    }
    ObjectBatchBuilder batch = batches[subpartition];
    if (batch == null) {
      // sized for records like this one; a record larger than a buffer gets a batch of its own
      int records = Math.min(maxRecordsPerBatch, Math.max(1, bufferSize / Math.max(1, bytes)));
      batch = new ObjectBatchBuilder(records, bufferSize, nanoClock.getAsLong());
      batches[subpartition] = batch;
    }
    batch.add(record, bytes);
    recordsOut++;
    if (batch.isFull()) {
      send(subpartition);
    }
  }

  @Override
  public void broadcastBarrier(long checkpointId, long timestamp) throws InterruptedException {
    broadcastBarrier(checkpointId, timestamp, "");
  }

  @Override
  public void broadcastBarrier(long checkpointId, long timestamp, String checkpointDir)
      throws InterruptedException {
    checkWritable();
    for (PipelinedSubpartition subpartition : subpartitions) {
      send(subpartition.index());
      subpartition.add(SubpartitionBuffer.barrier(checkpointId, timestamp, checkpointDir));
    }
  }

  @Override
  public void flushIfDue() throws InterruptedException {
    long now = nanoClock.getAsLong();
    for (int i = 0; i < builders.length; i++) {
      RecordBufferBuilder builder = builders[i];
      ObjectBatchBuilder batch = batches[i];
      if ((builder != null && now - builder.createdNanos() >= bufferTimeoutNanos)
          || (batch != null && now - batch.createdNanos() >= bufferTimeoutNanos)) {
        send(i);
      }
    }
  }

  @Override
  public void flushAll() throws InterruptedException {
    for (int i = 0; i < builders.length; i++) {
      send(i);
    }
  }

  @Override
  public void finish() throws InterruptedException {
    checkWritable();
    for (PipelinedSubpartition subpartition : subpartitions) {
      send(subpartition.index());
      subpartition.add(SubpartitionBuffer.endOfPartition());
    }
    finished = true;
    LOG.debug("Partition {} finished after {} records ({} bytes)", id, recordsOut, bytesOut);
  }

  @Override
  public void release(Throwable cause) {
    if (!released.compareAndSet(false, true)) {
      return;
    }
    LOG.info(
        "Releasing partition {} ({} subpartitions): {}",
        id,
        subpartitions.length,
        cause == null ? "no cause given" : cause.toString());
    Throwable reason = new PartitionReleasedException(id, cause);
    for (PipelinedSubpartition subpartition : subpartitions) {
      subpartition.release(reason);
    }
    registry.unregister(this);
  }

  @Override
  public long bytesOut() {
    return bytesOut;
  }

  @Override
  public long recordsOut() {
    return recordsOut;
  }

  @Override
  public long backpressuredNanos() {
    long total = 0;
    for (PipelinedSubpartition subpartition : subpartitions) {
      total += subpartition.backpressuredNanos();
    }
    return total;
  }

  PipelinedSubpartition subpartition(int index) {
    return subpartitions[index];
  }

  /**
   * Queues the subpartition's partly or fully filled buffer or batch, if it has one (never both:
   * emitting a record of one kind sends the other first).
   */
  private void send(int subpartition) throws InterruptedException {
    RecordBufferBuilder builder = builders[subpartition];
    if (builder != null) {
      builders[subpartition] = null;
      subpartitions[subpartition].add(builder.build());
    }
    ObjectBatchBuilder batch = batches[subpartition];
    if (batch != null) {
      batches[subpartition] = null;
      subpartitions[subpartition].add(batch.build());
    }
  }

  /**
   * The most records of one object batch, however small they are: a buffer's bytes in 16-byte
   * objects (2,048 with the default 32 KiB buffers), so a batch's credit stands for a like amount
   * of work and memory as a buffer's.
   */
  static int maxRecordsPerBatch(int bufferSize) {
    return Math.max(1, bufferSize / 16);
  }

  /**
   * Whether a record for the subpartition is written: false once released (the task is going away
   * and nobody will read it).
   *
   * @throws IllegalStateException after {@link #finish}
   */
  private boolean accepts(int subpartition) {
    Objects.checkIndex(subpartition, subpartitions.length);
    checkWritable();
    return !released.get();
  }

  private void checkWritable() {
    if (finished) {
      throw new IllegalStateException("partition " + id + " is already finished");
    }
  }

  private void onSubpartitionConsumed() {
    if (subpartitionsToConsume.decrementAndGet() == 0) {
      LOG.debug("Partition {} was fully consumed", id);
      registry.unregister(this);
    }
  }

  @Override
  public String toString() {
    return "partition " + id;
  }
}
