package io.baton.taskmanager.network;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PipelinedResultPartitionTest {
  private static final int BUFFER_SIZE = 64;
  private static final int BUFFERS_PER_SUBPARTITION = 2;

  private final AtomicLong clock = new AtomicLong();
  private final ResultPartitionRegistry registry = new ResultPartitionRegistry();
  private final ExecutorService producer = Executors.newSingleThreadExecutor();

  @AfterEach
  void stopProducer() {
    producer.shutdownNow();
  }

  @Test
  void recordsAreLengthPrefixedAndAFullBufferIsQueued() throws Exception {
    PipelinedResultPartition partition = partition(1);
    SubpartitionView view = partition.subpartition(0).attachRemote(() -> {}, "consumer");

    // 3 records of 20 bytes take 63 bytes with their 1-byte prefixes; the 4th does not fit
    for (int i = 0; i < 4; i++) {
      emit(partition, 0, "record-%013d".formatted(i));
    }

    SubpartitionBuffer first = view.poll();
    assertThat(decode(first))
        .containsExactly("record-0000000000000", "record-0000000000001", "record-0000000000002");
    assertThat(first.recordCount()).isEqualTo(3);
    assertThat(view.poll()).as("the 4th record waits in the partly filled buffer").isNull();

    partition.flushAll();
    assertThat(decode(view.poll())).containsExactly("record-0000000000003");
    assertThat(partition.recordsOut()).isEqualTo(4);
    assertThat(partition.bytesOut()).isEqualTo(4 * 21);
  }

  @Test
  void aRecordLargerThanABufferGetsABufferOfItsOwnSize() throws Exception {
    PipelinedResultPartition partition = partition(1);
    SubpartitionView view = partition.subpartition(0).attachRemote(() -> {}, "consumer");
    byte[] large = new byte[1000];
    large[999] = 7;

    emit(partition, 0, "small");
    partition.emitRecord(large, 0, large.length, 0);

    assertThat(decode(view.poll())).containsExactly("small");
    SubpartitionBuffer own = view.poll();
    assertThat(own.length()).as("2-byte varint prefix + 1000 bytes").isEqualTo(1002);
    CodedInputStream in = CodedInputStream.newInstance(own.data(), 0, own.length());
    assertThat(in.readRawBytes(in.readRawVarint32())).isEqualTo(large);
  }

  @Test
  void flushIfDueSendsOnlyBuffersOlderThanTheBufferTimeout() throws Exception {
    PipelinedResultPartition partition = partition(2);
    SubpartitionView view0 = partition.subpartition(0).attachRemote(() -> {}, "consumer-0");
    SubpartitionView view1 = partition.subpartition(1).attachRemote(() -> {}, "consumer-1");

    emit(partition, 0, "early");
    clock.addAndGet(Duration.ofMillis(60).toNanos());
    emit(partition, 1, "late");
    partition.flushIfDue();
    assertThat(view0.poll()).as("40 ms before its timeout").isNull();

    clock.addAndGet(Duration.ofMillis(40).toNanos());
    partition.flushIfDue();
    assertThat(decode(view0.poll())).containsExactly("early");
    assertThat(view1.poll()).as("only 40 ms old").isNull();

    clock.addAndGet(Duration.ofMillis(60).toNanos());
    partition.flushIfDue();
    assertThat(decode(view1.poll())).containsExactly("late");
  }

  @Test
  void anObjectBatchIsSentByTheBufferTimeoutByAFlushAndBeforeEveryEvent() throws Exception {
    PipelinedResultPartition partition = partition(1);
    SubpartitionView view = partition.subpartition(0).attachLocal(() -> {}, "consumer");
    assertThat(partition.takesObjects(0)).isTrue();

    partition.emitObject("a", 8, 0);
    clock.addAndGet(Duration.ofMillis(99).toNanos());
    partition.flushIfDue();
    assertThat(view.poll()).as("1 ms before its timeout").isNull();
    clock.addAndGet(Duration.ofMillis(1).toNanos());
    partition.flushIfDue();
    assertThat(objects(view.poll())).containsExactly("a");

    partition.emitObject("b", 8, 0);
    partition.flushAll();
    assertThat(objects(view.poll())).containsExactly("b");

    partition.emitObject("c", 8, 0);
    partition.broadcastBarrier(3, 0);
    assertThat(objects(view.poll())).containsExactly("c");
    assertThat(view.poll().kind()).isEqualTo(SubpartitionBuffer.Kind.BARRIER);
    partition.emitObject("d", 8, 0);
    partition.finish();
    assertThat(objects(view.poll())).containsExactly("d");
    assertThat(view.poll().kind()).isEqualTo(SubpartitionBuffer.Kind.END_OF_PARTITION);
    assertThat(partition.recordsOut()).isEqualTo(4);
  }

  @Test
  void onlyALocalReaderTakesObjectsAndOnlyWhileItIsAttached() {
    PipelinedResultPartition partition = partition(2);
    assertThat(partition.takesObjects(0)).as("no reader yet").isFalse();

    SubpartitionView local = partition.subpartition(0).attachLocal(() -> {}, "local");
    partition.subpartition(1).attachRemote(() -> {}, "remote");
    assertThat(partition.takesObjects(0)).isTrue();
    assertThat(partition.takesObjects(1)).isFalse();

    local.detach();
    assertThat(partition.takesObjects(0)).as("its reader let go").isFalse();
  }

  @Test
  void barriersAndEndFollowTheRecordsEmittedBeforeThemInEverySubpartition() throws Exception {
    PipelinedResultPartition partition = partition(2);
    emit(partition, 0, "a");
    emit(partition, 1, "b");
    partition.broadcastBarrier(7, 1234);
    partition.finish();

    for (int i = 0; i < 2; i++) {
      SubpartitionView view = partition.subpartition(i).attachRemote(() -> {}, "consumer-" + i);
      assertThat(decode(view.poll())).containsExactly(i == 0 ? "a" : "b");
      SubpartitionBuffer barrier = view.poll();
      assertThat(barrier.kind()).isEqualTo(SubpartitionBuffer.Kind.BARRIER);
      assertThat(barrier.checkpointId()).isEqualTo(7);
      assertThat(barrier.timestamp()).isEqualTo(1234);
      assertThat(view.poll().kind()).isEqualTo(SubpartitionBuffer.Kind.END_OF_PARTITION);
      assertThat(view.poll()).isNull();
    }
    assertThatThrownBy(() -> emit(partition, 0, "too late"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("partition producer-1-0 is already finished");
  }

  @Test
  void theProducerBlocksWhileTheQueueIsFullAndResumesWhenTheReaderTakesABuffer() throws Exception {
    PipelinedResultPartition partition = partition(1);
    PipelinedSubpartition subpartition = partition.subpartition(0);
    SubpartitionView view = subpartition.attachRemote(() -> {}, "consumer");
    byte[] record = new byte[BUFFER_SIZE - 1]; // exactly one buffer with its prefix

    CompletableFuture<Void> emitting =
        CompletableFuture.runAsync(
            () -> {
              try {
                for (int i = 0; i < BUFFERS_PER_SUBPARTITION + 1; i++) {
                  partition.emitRecord(record, 0, record.length, 0);
                }
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            },
            producer);

    await().atMost(Duration.ofSeconds(5)).until(() -> partition.backpressuredNanos() > 0);
    assertThat(emitting).isNotDone();
    assertThat(subpartition.queuedBuffers()).isEqualTo(BUFFERS_PER_SUBPARTITION);

    assertThat(view.poll()).isNotNull();
    emitting.get(5, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(subpartition.maxQueuedBuffers()).isEqualTo(BUFFERS_PER_SUBPARTITION);
  }

  @Test
  void releaseWakesABlockedProducerFailsTheReaderAndUnregisters() throws Exception {
    PipelinedResultPartition partition = partition(1);
    List<String> notified = new ArrayList<>();
    SubpartitionView view =
        partition.subpartition(0).attachRemote(() -> notified.add("x"), "consumer");
    byte[] record = new byte[BUFFER_SIZE - 1];
    CompletableFuture<Void> emitting =
        CompletableFuture.runAsync(
            () -> {
              try {
                for (int i = 0; i < 10; i++) {
                  partition.emitRecord(record, 0, record.length, 0);
                }
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            },
            producer);
    await().atMost(Duration.ofSeconds(5)).until(() -> partition.backpressuredNanos() > 0);

    partition.release(new RuntimeException("task cancelled"));

    emitting.get(5, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(view.poll()).as("queued buffers are dropped").isNull();
    assertThat(view.failure())
        .hasMessage(
            "partition producer-1-0 was released by its producer: java.lang.RuntimeException: task"
                + " cancelled");
    assertThat(registry.lookup("producer-1-0")).isNull();
  }

  @Test
  void theEventAfterAFullQueueOfRecordsTakesOneMorePlace() throws Exception {
    PipelinedResultPartition partition = partition(1);
    byte[] record = new byte[BUFFER_SIZE - 1];
    for (int i = 0; i < BUFFERS_PER_SUBPARTITION; i++) {
      partition.emitRecord(record, 0, record.length, 0);
    }

    partition.broadcastBarrier(1, 0); // would block forever if the event waited for room

    assertThat(partition.subpartition(0).queuedBuffers()).isEqualTo(BUFFERS_PER_SUBPARTITION + 1);
    assertThat(partition.backpressuredNanos()).isZero();
  }

  @Test
  void aFullyConsumedPartitionLeavesTheRegistry() throws Exception {
    PipelinedResultPartition partition = partition(2);
    partition.finish();
    SubpartitionView view0 = partition.subpartition(0).attachRemote(() -> {}, "consumer-0");
    SubpartitionView view1 = partition.subpartition(1).attachRemote(() -> {}, "consumer-1");

    view0.poll();
    assertThat(registry.lookup("producer-1-0")).isSameAs(partition);
    view1.poll();
    assertThat(registry.lookup("producer-1-0")).isNull();
  }

  private PipelinedResultPartition partition(int subpartitions) {
    NetworkSettings settings =
        new NetworkSettings(
            BUFFER_SIZE,
            2,
            BUFFERS_PER_SUBPARTITION,
            Duration.ofMillis(100),
            Duration.ofSeconds(1));
    PipelinedResultPartition partition =
        new PipelinedResultPartition("producer-1-0", subpartitions, settings, registry, clock::get);
    registry.register(partition);
    return partition;
  }

  private static void emit(PipelinedResultPartition partition, int subpartition, String record)
      throws InterruptedException {
    byte[] bytes = record.getBytes(UTF_8);
    partition.emitRecord(bytes, 0, bytes.length, subpartition);
  }

  private static List<Object> objects(SubpartitionBuffer buffer) {
    assertThat(buffer.kind()).isEqualTo(SubpartitionBuffer.Kind.OBJECTS);
    return Arrays.asList(buffer.objects()).subList(0, buffer.recordCount());
  }

  private static List<String> decode(SubpartitionBuffer buffer) throws IOException {
    assertThat(buffer.kind()).isEqualTo(SubpartitionBuffer.Kind.RECORDS);
    List<String> records = new ArrayList<>();
    for (byte[] record :
        GateContents.records(
            new BufferOrEvent.Records(
                0, ByteBuffer.wrap(buffer.data(), 0, buffer.length()), buffer.recordCount()))) {
      records.add(new String(record, UTF_8));
    }
    return records;
  }
}
