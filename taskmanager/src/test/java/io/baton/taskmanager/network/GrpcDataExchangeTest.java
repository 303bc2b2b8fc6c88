package io.baton.taskmanager.network;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.baton.common.config.Configuration;
import io.baton.common.config.TaskManagerOptions;
import io.baton.common.deployment.InputChannelDeployment;
import io.baton.common.deployment.InputGateDeployment;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two TaskManagers' data planes in one JVM, exchanging records over real gRPC on loopback. */
class GrpcDataExchangeTest {
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  private final ExecutorService producers = Executors.newCachedThreadPool();
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private LoopbackTaskManager tmA;
  private LoopbackTaskManager tmB;

  @BeforeEach
  void startTaskManagers() throws IOException {
    Configuration config =
        new Configuration()
            .set(TaskManagerOptions.BUFFER_SIZE, 256)
            .set(TaskManagerOptions.BUFFERS_PER_CHANNEL, 2)
            .set(TaskManagerOptions.BUFFERS_PER_SUBPARTITION, 2)
            .set(TaskManagerOptions.BUFFER_TIMEOUT, Duration.ofMillis(10));
    tmA = started(LoopbackTaskManager.start("tm-a", config));
    tmB = started(LoopbackTaskManager.start("tm-b", config));
  }

  @AfterEach
  void stopEverything() throws Exception {
    producers.shutdownNow();
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  @Test
  void recordsBarriersAndEndArriveInOrderOnRemoteAndLocalChannels() throws Exception {
    int records = 2_000;
    PipelinedResultPartition fromA = tmA.createPartition("exec-a-0", 2);
    PipelinedResultPartition fromB = tmB.createPartition("exec-b-0", 2);
    // consumer 0 runs on tm-a, consumer 1 on tm-b; each reads one producer locally, one remotely
    InputGate consumer0 =
        gate(tmA, "consumer-0", tmA.channelTo("exec-a-0", 0), tmB.channelTo("exec-b-0", 0));
    InputGate consumer1 =
        gate(tmB, "consumer-1", tmA.channelTo("exec-a-0", 1), tmB.channelTo("exec-b-0", 1));
    consumer0.requestPartitions();
    consumer1.requestPartitions();

    CompletableFuture<Void> producingA = produce(fromA, "a", records, 7);
    CompletableFuture<Void> producingB = produce(fromB, "b", records, 7);
    CompletableFuture<List<List<String>>> reading1 =
        CompletableFuture.supplyAsync(() -> readAllAsText(consumer1), producers);
    List<List<String>> read0 = GateContents.readAllAsText(consumer0, READ_TIMEOUT);
    List<List<String>> read1 = reading1.get(READ_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    producingA.get(5, TimeUnit.SECONDS);
    producingB.get(5, TimeUnit.SECONDS);

    assertThat(read0.get(0)).isEqualTo(expected("a", 0, records, 7));
    assertThat(read0.get(1)).isEqualTo(expected("b", 0, records, 7));
    assertThat(read1.get(0)).isEqualTo(expected("a", 1, records, 7));
    assertThat(read1.get(1)).isEqualTo(expected("b", 1, records, 7));
    assertThat(consumer0.isFinished()).isTrue();
    assertThat(fromA.recordsOut()).isEqualTo(2L * records);
    assertThat(consumer0.bytesIn() + consumer1.bytesIn())
        .isEqualTo(fromA.bytesOut() + fromB.bytesOut());
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              assertThat(tmA.network.partition("exec-a-0")).as("consumed partition").isNull();
              assertThat(tmB.network.partition("exec-b-0")).as("consumed partition").isNull();
            });
  }

  @Test
  void aConsumerThatAsksBeforeTheProducerRegisteredRetriesUntilItIsThere() throws Exception {
    CreditBasedInputGate gate =
        gate(tmB, "early-consumer", tmA.channelTo("late-a-0", 0), tmB.channelTo("late-b-0", 0));
    gate.requestPartitions();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> gate.channel(0).attempts() >= 3 && gate.channel(1).attempts() >= 3);

    CompletableFuture<Void> producingA = produce(tmA.createPartition("late-a-0", 1), "a", 100, 1);
    CompletableFuture<Void> producingB = produce(tmB.createPartition("late-b-0", 1), "b", 100, 1);
    List<List<String>> read = GateContents.readAllAsText(gate, READ_TIMEOUT);

    producingA.get(5, TimeUnit.SECONDS);
    producingB.get(5, TimeUnit.SECONDS);
    assertThat(read.get(0)).isEqualTo(expected("a", 0, 100, 1));
    assertThat(read.get(1)).isEqualTo(expected("b", 0, 100, 1));
  }

  @Test
  void aPartitionThatNeverAppearsFailsTheGateAfterTheDeadline() throws Exception {
    LoopbackTaskManager impatient =
        started(LoopbackTaskManager.start("tm-c", new Configuration(), Duration.ofMillis(400)));
    InputGate remote = gate(impatient, "consumer-r", tmA.channelTo("missing-0", 3));
    InputGate local = gate(impatient, "consumer-l", impatient.channelTo("missing-1", 0));
    remote.requestPartitions();
    local.requestPartitions();

    IOException remoteFailure = GateContents.pollUntilFailure(remote, READ_TIMEOUT);
    IOException localFailure = GateContents.pollUntilFailure(local, READ_TIMEOUT);

    // 50 + 100 + 200 ms of backoff fit into 400 ms: at least 4 attempts
    assertThat(remoteFailure.getMessage())
        .matches(
            "partition missing-0 \\(subpartition 3\\) not found at "
                + tmA.address().replace(".", "\\.")
                + " after ([4-9]|\\d\\d) attempts");
    assertThat(localFailure.getMessage())
        .matches(
            "partition missing-1 \\(subpartition 0\\) not found at "
                + impatient.address().replace(".", "\\.")
                + " after ([4-9]|\\d\\d) attempts");
  }

  @Test
  void aFastProducerIsBackpressuredByASlowRemoteConsumerWithBoundedQueues() throws Exception {
    Configuration config =
        new Configuration()
            .set(TaskManagerOptions.BUFFER_SIZE, 32 * 1024)
            .set(TaskManagerOptions.BUFFERS_PER_CHANNEL, 4)
            .set(TaskManagerOptions.BUFFERS_PER_SUBPARTITION, 4);
    LoopbackTaskManager producerTm = started(LoopbackTaskManager.start("tm-p", config));
    LoopbackTaskManager consumerTm = started(LoopbackTaskManager.start("tm-q", config));
    checkBackpressure(
        producerTm, consumerTm, producerTm.channelTo("bulk-0", 0), 200L * 1024 * 1024);
  }

  @Test
  void aFastProducerIsBackpressuredByASlowLocalConsumerWithBoundedQueues() throws Exception {
    Configuration config =
        new Configuration()
            .set(TaskManagerOptions.BUFFER_SIZE, 32 * 1024)
            .set(TaskManagerOptions.BUFFERS_PER_CHANNEL, 4)
            .set(TaskManagerOptions.BUFFERS_PER_SUBPARTITION, 4);
    LoopbackTaskManager tm = started(LoopbackTaskManager.start("tm-l", config));
    checkBackpressure(tm, tm, tm.channelTo("bulk-0", 0), 50L * 1024 * 1024);
  }

  @Test
  void aReleasedPartitionFailsItsConsumersWithTheReason() throws Exception {
    PipelinedResultPartition partitionA = tmA.createPartition("doomed-a-0", 1);
    PipelinedResultPartition partitionB = tmB.createPartition("doomed-b-0", 1);
    InputGate remote = gate(tmB, "consumer-r", tmA.channelTo("doomed-a-0", 0));
    InputGate local = gate(tmB, "consumer-l", tmB.channelTo("doomed-b-0", 0));
    remote.requestPartitions();
    local.requestPartitions();
    emitText(partitionA, 0, "before release");
    partitionA.flushAll();
    emitText(partitionB, 0, "before release");
    partitionB.flushAll();
    assertThat(remote.pollNext(READ_TIMEOUT)).isPresent();
    assertThat(local.pollNext(READ_TIMEOUT)).isPresent();

    partitionA.release(new IllegalStateException("task exec-a was cancelled"));
    partitionB.release(new IllegalStateException("task exec-b was cancelled"));

    assertThat(GateContents.pollUntilFailure(remote, READ_TIMEOUT))
        .hasMessage(
            "channel 0 of consumer-r: reading partition doomed-a-0 (subpartition 0) at "
                + tmA.address()
                + " (TaskManager "
                + tmA.id
                + ") failed: ABORTED: partition doomed-a-0 was released by its"
                + " producer: java.lang.IllegalStateException: task exec-a was cancelled");
    assertThat(GateContents.pollUntilFailure(local, READ_TIMEOUT))
        .hasMessage(
            "channel 0 of consumer-l: reading partition doomed-b-0 (subpartition 0) at "
                + tmB.address()
                + " (TaskManager "
                + tmB.id
                + ") failed: partition doomed-b-0 was released by its"
                + " producer: java.lang.IllegalStateException: task exec-b was cancelled");
  }

  @Test
  void aConsumerOfADeadTaskManagerFailsNamingItsAddress() throws Exception {
    PipelinedResultPartition partition = tmA.createPartition("orphan-0", 1);
    InputGate gate = gate(tmB, "consumer", tmA.channelTo("orphan-0", 0));
    gate.requestPartitions();
    emitText(partition, 0, "last words");
    partition.flushAll();
    assertThat(gate.pollNext(READ_TIMEOUT)).isPresent();

    tmA.kill();

    assertThat(GateContents.pollUntilFailure(gate, READ_TIMEOUT).getMessage())
        .startsWith(
            "channel 0 of consumer: reading partition orphan-0 (subpartition 0) at "
                + tmA.address()
                + " (TaskManager "
                + tmA.id
                + ") failed: ");
  }

  @Test
  void closingAConsumerDetachesItAndANewConsumerReadsTheRest() throws Exception {
    PipelinedResultPartition partition = tmA.createPartition("resumable-0", 1);
    PipelinedSubpartition subpartition = partition.subpartition(0);
    InputGate first = gate(tmB, "first", tmA.channelTo("resumable-0", 0));
    first.requestPartitions();
    emitText(partition, 0, "one");
    partition.flushAll();
    assertThat(GateContents.records((BufferOrEvent.Records) first.pollNext(READ_TIMEOUT).get()))
        .extracting(bytes -> new String(bytes, UTF_8))
        .containsExactly("one");
    assertThat(subpartition.hasReader()).isTrue();

    first.close();

    await().atMost(Duration.ofSeconds(5)).until(() -> !subpartition.hasReader());
    emitText(partition, 0, "two");
    partition.finish();
    InputGate second = gate(tmB, "second", tmA.channelTo("resumable-0", 0));
    second.requestPartitions();
    List<List<String>> read = GateContents.readAllAsText(second, READ_TIMEOUT);
    assertThat(read.get(0)).containsExactly("two", "end");
  }

  @Test
  void closingALocalConsumerDetachesIt() throws Exception {
    PipelinedResultPartition partition = tmB.createPartition("local-0", 1);
    InputGate gate = gate(tmB, "consumer", tmB.channelTo("local-0", 0));
    gate.requestPartitions();
    await().atMost(Duration.ofSeconds(5)).until(() -> partition.subpartition(0).hasReader());

    gate.close();

    assertThat(partition.subpartition(0).hasReader()).isFalse();
  }

  /**
   * A producer emits {@code totalBytes} of 1 KiB records as fast as it can; the consumer first
   * reads nothing, then everything. The producer blocks, and no queue ever holds more buffers than
   * configured, whatever the volume.
   */
  private void checkBackpressure(
      LoopbackTaskManager producerTm,
      LoopbackTaskManager consumerTm,
      InputChannelDeployment channel,
      long totalBytes)
      throws Exception {
    int recordSize = 1024;
    long records = totalBytes / recordSize;
    PipelinedResultPartition partition = producerTm.createPartition(channel.partitionId(), 1);
    PipelinedSubpartition subpartition = partition.subpartition(0);
    CreditBasedInputGate gate = gate(consumerTm, "slow-consumer", channel);
    gate.requestPartitions();
    CompletableFuture<Void> producing =
        CompletableFuture.runAsync(
            () -> {
              byte[] record = new byte[recordSize];
              try {
                for (long i = 0; i < records; i++) {
                  java.nio.ByteBuffer.wrap(record).putLong(0, i);
                  partition.emitRecord(record, 0, record.length, 0);
                }
                partition.finish();
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            },
            producers);

    // the consumer reads nothing: the producer fills its queue and the consumer's credit, and waits
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                partition.backpressuredNanos() > 0
                    && subpartition.queuedBuffers() == 4
                    && gate.queuedBuffers(0) == 4);
    assertThat(producing).isNotDone();
    long blockedSoFar = partition.backpressuredNanos();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> partition.backpressuredNanos() > blockedSoFar);
    assertThat(partition.recordsOut()).isLessThan(records);

    // now the consumer reads it all, checking every record
    long[] expectedNext = {0};
    GateContents.readAll(
        gate,
        Duration.ofMinutes(2),
        (c, record) -> {
          assertThat(record).hasSize(recordSize);
          assertThat(java.nio.ByteBuffer.wrap(record).getLong(0)).isEqualTo(expectedNext[0]++);
        },
        null);
    producing.get(5, TimeUnit.SECONDS);

    assertThat(expectedNext[0]).isEqualTo(records);
    assertThat(gate.bytesIn()).isEqualTo(partition.bytesOut()).isGreaterThanOrEqualTo(totalBytes);
    assertThat(subpartition.maxQueuedBuffers())
        .as("records + END in the producer's queue")
        .isLessThanOrEqualTo(5);
    assertThat(gate.maxQueuedBuffers(0)).as("buffers waiting for the consumer").isEqualTo(4);
    if (gate.channel(0) instanceof RemoteInputChannel remote) {
      assertThat(remote.creditViolations()).as("buffers sent without credit").isZero();
    }
  }

  private CompletableFuture<Void> produce(
      PipelinedResultPartition partition, String producer, int records, long checkpointId) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            for (int i = 0; i < records; i++) {
              if (i == records / 2) {
                partition.broadcastBarrier(checkpointId, 1000 + checkpointId, dirOf(checkpointId));
              }
              for (int sub = 0; sub < partition.numberOfSubpartitions(); sub++) {
                emitText(partition, sub, producer + "/" + sub + "/" + i);
              }
              partition.flushIfDue();
            }
            partition.finish();
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        },
        producers);
  }

  /** A savepoint directory, which the barrier must carry to the consumers. */
  private static String dirOf(long checkpointId) {
    return "s3://bucket/savepoints/sp-" + checkpointId;
  }

  private static List<String> expected(
      String producer, int subpartition, int records, long checkpointId) {
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < records; i++) {
      if (i == records / 2) {
        expected.add("barrier:" + checkpointId + "@" + dirOf(checkpointId));
      }
      expected.add(producer + "/" + subpartition + "/" + i);
    }
    expected.add("end");
    return expected;
  }

  private static void emitText(PipelinedResultPartition partition, int subpartition, String text)
      throws InterruptedException {
    byte[] bytes = text.getBytes(UTF_8);
    partition.emitRecord(bytes, 0, bytes.length, subpartition);
  }

  private static List<List<String>> readAllAsText(InputGate gate) {
    try {
      return GateContents.readAllAsText(gate, READ_TIMEOUT);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private CreditBasedInputGate gate(
      LoopbackTaskManager consumerTm, String consumer, InputChannelDeployment... channels) {
    CreditBasedInputGate gate =
        (CreditBasedInputGate)
            consumerTm.network.createInputGate(
                new InputGateDeployment(0, 0, List.of(channels)), consumer);
    toClose.add(gate);
    return gate;
  }

  private LoopbackTaskManager started(LoopbackTaskManager tm) {
    toClose.add(tm);
    return tm;
  }
}
