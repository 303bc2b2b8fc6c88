package io.baton.taskmanager.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.baton.common.config.Configuration;
import io.baton.common.config.TaskManagerOptions;
import io.baton.common.deployment.InputChannelDeployment;
import io.baton.common.deployment.InputGateDeployment;
import io.baton.common.serialization.RecordSerializer;
import io.baton.common.serialization.TaggedRecordSerializer;
import io.baton.taskmanager.operators.Partitioner;
import io.baton.taskmanager.operators.RecordWriter;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Records between subtasks of one TaskManager handed over as objects: their order among byte
 * buffers and barriers, which classes may go so, that a remote reader never gets a batch, credit,
 * backpressure and release.
 */
class LocalObjectChannelTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  // 64-byte buffers: an object batch holds two ticks (24 bytes each), or one record of 64 or more
  private static final int BUFFER_SIZE = 64;

  /** Copy-safe, of one size. */
  public record Tick(long id) {}

  /** Copy-safe: a record of a long and a String. */
  public record Trade(long id, String account) {}

  /** Not copy-safe: a POJO its producer may change after emitting it. */
  public static final class Account {
    public String name;
    public long balance;

    public Account() {}

    Account(String name, long balance) {
      this.name = name;
      this.balance = balance;
    }

    @Override
    public String toString() {
      return name + "=" + balance;
    }
  }

  private final ExecutorService producer = Executors.newSingleThreadExecutor();
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private LoopbackTaskManager tm;
  private LoopbackTaskManager otherTm;

  @BeforeEach
  void start() throws IOException {
    Configuration config =
        new Configuration()
            .set(TaskManagerOptions.BUFFER_SIZE, BUFFER_SIZE)
            .set(TaskManagerOptions.BUFFERS_PER_CHANNEL, 2)
            .set(TaskManagerOptions.BUFFERS_PER_SUBPARTITION, 4)
            .set(TaskManagerOptions.BUFFER_TIMEOUT, Duration.ofMinutes(10));
    tm = LoopbackTaskManager.start("tm-local", config);
    toClose.add(tm);
    otherTm = LoopbackTaskManager.start("tm-other", config);
    toClose.add(otherTm);
  }

  @AfterEach
  void stop() throws Exception {
    producer.shutdownNow();
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  @Test
  void bytesBatchesAndBarriersKeepTheOrderTheyWereWrittenInOnOneSubpartition() throws Exception {
    PipelinedResultPartition partition = tm.createPartition("ordered-0", 1);
    RecordWriter writer = writer(partition, record -> 0);
    writer.collect("before the reader");
    writer.collect("and this");

    InputGate gate = gate(tm, "consumer", tm.channelTo("ordered-0", 0));
    gate.requestPartitions();
    Tick first = new Tick(1);
    writer.collect(first);
    writer.collect(new Tick(2));
    writer.collect(new Tick(3));
    partition.broadcastBarrier(7, 1000);
    writer.collect(new Account("pojo", 5));
    writer.collect(new Tick(4));
    partition.finish();

    Trace trace = Trace.read(gate);
    assertThat(trace.elements)
        .containsExactly(
            "bytes[before the reader, and this]",
            "objects[Tick[id=1], Tick[id=2]]",
            "objects[Tick[id=3]]",
            "barrier:7",
            "bytes[pojo=5]",
            "objects[Tick[id=4]]",
            "end");
    assertThat(trace.records.get(2)).as("handed over, not copied").isSameAs(first);
    assertThat(partition.recordsOut()).isEqualTo(7);
    assertThat(partition.subpartition(0).takesObjects()).as("its reader took the end").isFalse();
  }

  @Test
  void aBatchHoldsAboutABuffersWorthOfRecordsAndALargeRecordGoesAlone() throws Exception {
    PipelinedResultPartition partition = tm.createPartition("sized-0", 1);
    InputGate gate = gate(tm, "consumer", tm.channelTo("sized-0", 0));
    gate.requestPartitions();
    RecordWriter writer = writer(partition, record -> 0);
    String large = "x".repeat(100);

    writer.collect(new Tick(1)); // 24 bytes: room for two
    writer.collect(new Tick(2));
    writer.collect(new Trade(3, large)); // 172 bytes: a batch of its own
    writer.collect(7); // 16 bytes: room for four, but the next fills the 64 bytes
    writer.collect(new Trade(8, large));
    writer.collect(new Tick(9));
    partition.finish();

    assertThat(Trace.read(gate).elements)
        .containsExactly(
            "objects[Tick[id=1], Tick[id=2]]",
            "objects[Trade[id=3, account=" + large + "]]",
            "objects[7, Trade[id=8, account=" + large + "]]",
            "objects[Tick[id=9]]",
            "end");
  }

  @Test
  void aMutablePojoTakesTheBytePathSoTheProducerMayChangeItAfterEmittingIt() throws Exception {
    PipelinedResultPartition partition = tm.createPartition("pojo-0", 1);
    InputGate gate = gate(tm, "consumer", tm.channelTo("pojo-0", 0));
    gate.requestPartitions();
    RecordWriter writer = writer(partition, record -> 0);

    Account reused = new Account("alice", 1);
    writer.collect(reused);
    reused.balance = 2;
    writer.collect(reused);
    reused.balance = 3;
    partition.finish();

    Trace trace = Trace.read(gate);
    assertThat(trace.records).map(String::valueOf).containsExactly("alice=1", "alice=2");
    assertThat(trace.records).noneMatch(record -> record == reused);
    assertThat(trace.elements).noneMatch(e -> e.startsWith("objects["));
  }

  @Test
  void aRemoteReaderOfTheSamePartitionGetsOnlyBytes() throws Exception {
    PipelinedResultPartition partition = tm.createPartition("mixed-0", 2);
    InputGate local = gate(tm, "local-consumer", tm.channelTo("mixed-0", 0));
    InputGate remote = gate(otherTm, "remote-consumer", tm.channelTo("mixed-0", 1));
    local.requestPartitions();
    remote.requestPartitions();
    await().atMost(TIMEOUT).until(() -> partition.subpartition(1).hasReader());
    RecordWriter writer = writer(partition, record -> Partitioner.ALL_CHANNELS);

    for (int i = 0; i < 5; i++) {
      writer.collect(new Trade(i, "t" + i));
    }
    partition.finish();

    List<String> expected =
        List.of(
            "Trade[id=0, account=t0]",
            "Trade[id=1, account=t1]",
            "Trade[id=2, account=t2]",
            "Trade[id=3, account=t3]",
            "Trade[id=4, account=t4]");
    Trace localTrace = Trace.read(local);
    Trace remoteTrace = Trace.read(remote);
    assertThat(localTrace.records).map(String::valueOf).isEqualTo(expected);
    assertThat(localTrace.elements).allMatch(e -> e.startsWith("objects[") || e.equals("end"));
    assertThat(remoteTrace.records).map(String::valueOf).isEqualTo(expected);
    assertThat(remoteTrace.elements).noneMatch(e -> e.startsWith("objects["));
  }

  @Test
  void aRemoteReaderTakingOverQueuedBatchesFailsInsteadOfGettingThem() throws Exception {
    LocallyRead queued = threeBatchesReadLocally("contested-0");

    InputGate remote = gate(otherTm, "remote-consumer", tm.channelTo("contested-0", 0));
    remote.requestPartitions();

    assertThat(GateContents.pollUntilFailure(remote, TIMEOUT))
        .hasMessage(
            "channel 0 of remote-consumer: reading partition contested-0 (subpartition 0) at "
                + tm.address()
                + " (TaskManager "
                + tm.id
                + ") failed: ABORTED: subpartition 0 of partition contested-0 holds records as"
                + " objects for a reader in its own TaskManager; consumer remote-consumer on"
                + " another TaskManager cannot take them over");
    assertThat(GateContents.pollUntilFailure(queued.gate(), TIMEOUT))
        .hasMessageEndingWith(
            "subpartition 0 of partition contested-0 was taken over by consumer remote-consumer");
    assertThat(queued.partition().subpartition(0).queuedBuffers()).as("still queued").isEqualTo(1);
  }

  @Test
  void aLocalReaderTakingOverGetsWhatTheFirstDidNotTakeOnceAndInOrder() throws Exception {
    LocallyRead queued = threeBatchesReadLocally("restarted-0");

    InputGate second = gate(tm, "second-consumer", tm.channelTo("restarted-0", 0));
    second.requestPartitions();
    assertThat(GateContents.pollUntilFailure(queued.gate(), TIMEOUT))
        .hasMessageEndingWith(
            "subpartition 0 of partition restarted-0 was taken over by consumer second-consumer");
    queued.writer().collect(new Account("pojo", 1));
    queued.writer().collect(new Tick(6));
    queued.partition().finish();

    Trace trace = Trace.read(second);
    assertThat(trace.elements)
        .containsExactly(
            "objects[Tick[id=4], Tick[id=5]]", "bytes[pojo=1]", "objects[Tick[id=6]]", "end");
  }

  @Test
  void aBatchTakesOneCreditLikeABufferAndAFullQueueOfBatchesBackpressures() throws Exception {
    PipelinedResultPartition partition = tm.createPartition("credit-0", 1);
    CreditBasedInputGate gate = gate(tm, "consumer", tm.channelTo("credit-0", 0));
    gate.requestPartitions();
    RecordWriter writer = writer(partition, record -> 0);

    // 7 batches of 2: 2 on the gate's credit, 4 queued, the 7th waits for room
    CompletableFuture<Void> producing =
        CompletableFuture.runAsync(
            () -> {
              for (int i = 0; i < 14; i++) {
                writer.collect(new Tick(i));
              }
            },
            producer);
    await().atMost(TIMEOUT).until(() -> partition.backpressuredNanos() > 0);
    assertThat(gate.queuedBuffers(0)).isEqualTo(2);
    assertThat(partition.subpartition(0).queuedBuffers()).isEqualTo(4);
    assertThat(producing).isNotDone();

    BufferOrEvent first = gate.pollNext(TIMEOUT).orElseThrow();
    assertThat(first).isInstanceOf(BufferOrEvent.ObjectBatch.class);
    assertThat(((BufferOrEvent.ObjectBatch) first).recordCount()).isEqualTo(2);
    // the credit given back brings the next batch into the gate and makes room for the 7th
    producing.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    await().atMost(TIMEOUT).until(() -> gate.queuedBuffers(0) == 2);
    assertThat(partition.subpartition(0).queuedBuffers()).isEqualTo(4);
    assertThat(gate.bytesIn()).as("no bytes for objects").isZero();
    assertThat(partition.bytesOut()).isZero();
  }

  @Test
  void releasingAPartitionWithBatchesQueuedDropsThemAndFailsItsReaderOnce() throws Exception {
    PipelinedResultPartition partition = tm.createPartition("doomed-0", 1);
    InputGate gate = gate(tm, "consumer", tm.channelTo("doomed-0", 0));
    gate.requestPartitions();
    RecordWriter writer = writer(partition, record -> 0);
    List<WeakReference<Tick>> emitted = emitTicks(writer, 8);
    await().atMost(TIMEOUT).until(() -> partition.subpartition(0).queuedBuffers() == 2);

    partition.release(new IllegalStateException("task producer was cancelled"));
    writer.collect(new Tick(99)); // dropped, as bytes would be

    assertThat(partition.subpartition(0).queuedBuffers()).isZero();
    assertThat(partition.subpartition(0).takesObjects()).isFalse();
    assertThat(GateContents.pollUntilFailure(gate, TIMEOUT))
        .hasMessageEndingWith(
            "failed: partition doomed-0 was released by its producer:"
                + " java.lang.IllegalStateException: task producer was cancelled");
    assertThat(tm.network.partition("doomed-0")).isNull();
    gate.close();
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              System.gc();
              assertThat(emitted).as("no queue holds a record").allMatch(r -> r.get() == null);
            });
  }

  /** A partition, its writer and the gate of a first reader in the same TaskManager. */
  private record LocallyRead(
      PipelinedResultPartition partition, RecordWriter writer, InputGate gate) {}

  /**
   * Six ticks in three batches of two for a reader in the same TaskManager: two batches on its
   * gate's credit, the third waiting in the subpartition.
   */
  private LocallyRead threeBatchesReadLocally(String partitionId) {
    PipelinedResultPartition partition = tm.createPartition(partitionId, 1);
    InputGate gate = gate(tm, "first-consumer", tm.channelTo(partitionId, 0));
    gate.requestPartitions();
    RecordWriter writer = writer(partition, record -> 0);
    for (int i = 0; i < 6; i++) {
      writer.collect(new Tick(i));
    }
    await().atMost(TIMEOUT).until(() -> partition.subpartition(0).queuedBuffers() == 1);
    return new LocallyRead(partition, writer, gate);
  }

  /** Emits {@code n} ticks from a frame of its own, so only the queues keep them alive. */
  private static List<WeakReference<Tick>> emitTicks(RecordWriter writer, int n) {
    List<WeakReference<Tick>> emitted = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Tick tick = new Tick(i);
      emitted.add(new WeakReference<>(tick));
      writer.collect(tick);
    }
    return emitted;
  }

  private CreditBasedInputGate gate(
      LoopbackTaskManager consumerTm, String consumer, InputChannelDeployment channel) {
    CreditBasedInputGate gate =
        (CreditBasedInputGate)
            consumerTm.network.createInputGate(
                new InputGateDeployment(0, 0, List.of(channel)), consumer);
    toClose.add(gate);
    return gate;
  }

  private static RecordWriter writer(ResultPartition partition, Partitioner partitioner) {
    return new RecordWriter("edge 0", partition, partitioner, LocalObjectChannelTest::serializer);
  }

  private static RecordSerializer serializer() {
    return new TaggedRecordSerializer(LocalObjectChannelTest.class.getClassLoader());
  }

  /** What one gate's only channel delivered, element by element, and its records in order. */
  private static final class Trace {
    final List<String> elements = new ArrayList<>();
    final List<Object> records = new ArrayList<>();

    static Trace read(InputGate gate) throws Exception {
      Trace trace = new Trace();
      RecordSerializer serializer = serializer();
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (!gate.isFinished()) {
        assertThat(System.nanoTime()).as("gate finished in time").isLessThan(deadline);
        BufferOrEvent next = gate.pollNext(Duration.ofMillis(100)).orElse(null);
        if (next instanceof BufferOrEvent.Records buffer) {
          List<Object> read = new ArrayList<>();
          for (byte[] record : GateContents.records(buffer)) {
            read.add(serializer.deserialize(new DataInputStream(new ByteArrayInputStream(record))));
          }
          trace.add("bytes", read);
        } else if (next instanceof BufferOrEvent.ObjectBatch batch) {
          trace.add("objects", Arrays.asList(batch.records()).subList(0, batch.recordCount()));
        } else if (next instanceof BufferOrEvent.Barrier barrier) {
          trace.elements.add("barrier:" + barrier.checkpointId());
        } else if (next instanceof BufferOrEvent.EndOfPartition) {
          trace.elements.add("end");
        }
      }
      return trace;
    }

    private void add(String kind, List<Object> read) {
      elements.add(kind + read);
      records.addAll(read);
    }
  }
}
