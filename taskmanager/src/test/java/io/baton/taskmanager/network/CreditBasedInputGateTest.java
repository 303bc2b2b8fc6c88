package io.baton.taskmanager.network;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.baton.common.config.Configuration;
import io.baton.common.config.IllegalConfigurationException;
import io.baton.common.config.TaskManagerOptions;
import io.baton.common.deployment.InputChannelDeployment;
import io.baton.common.deployment.InputGateDeployment;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a task sees of its input gate: fairness, alignment blocking, the end, credit, take-over. */
class CreditBasedInputGateTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private LoopbackTaskManager producerTm;
  private LoopbackTaskManager consumerTm;

  @BeforeEach
  void start() throws IOException {
    Configuration config =
        new Configuration()
            .set(TaskManagerOptions.BUFFER_SIZE, 64)
            .set(TaskManagerOptions.BUFFERS_PER_CHANNEL, 2)
            .set(TaskManagerOptions.BUFFERS_PER_SUBPARTITION, 4);
    producerTm = LoopbackTaskManager.start("tm-p", config);
    toClose.add(producerTm);
    consumerTm = LoopbackTaskManager.start("tm-c", config);
    toClose.add(consumerTm);
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  @Test
  void channelsTakeTurnsAndABlockedChannelWaitsUntilUnblocked() throws Exception {
    PipelinedResultPartition left = producerTm.createPartition("left-0", 1);
    PipelinedResultPartition right = producerTm.createPartition("right-0", 1);
    for (int i = 0; i < 3; i++) {
      emit(left, "L" + i);
      left.flushAll();
      emit(right, "R" + i);
      right.flushAll();
    }
    CreditBasedInputGate gate =
        gate(producerTm.channelTo("left-0", 0), producerTm.channelTo("right-0", 0));
    gate.requestPartitions();
    await().atMost(TIMEOUT).until(() -> gate.queuedBuffers(0) == 2 && gate.queuedBuffers(1) == 2);

    assertThat(nextRecord(gate)).isEqualTo("L0");
    assertThat(nextRecord(gate)).isEqualTo("R0");
    assertThat(nextRecord(gate)).isEqualTo("L1");

    gate.blockChannel(0);
    assertThat(nextRecord(gate)).isEqualTo("R1");
    assertThat(nextRecord(gate)).isEqualTo("R2");
    await().atMost(TIMEOUT).until(() -> gate.queuedBuffers(0) == 1);
    assertThat(gate.pollNext(Duration.ofMillis(50)))
        .as("only the blocked channel has data")
        .isEmpty();

    gate.unblockAll();
    assertThat(nextRecord(gate)).isEqualTo("L2");
  }

  @Test
  void theGateIsFinishedOnceEveryChannelDeliveredItsEnd() throws Exception {
    PipelinedResultPartition remote = producerTm.createPartition("remote-0", 1);
    PipelinedResultPartition local = consumerTm.createPartition("local-0", 1);
    CreditBasedInputGate gate =
        gate(producerTm.channelTo("remote-0", 0), consumerTm.channelTo("local-0", 0));
    gate.requestPartitions();

    remote.finish();
    BufferOrEvent first = gate.pollNext(TIMEOUT).orElseThrow();
    assertThat(first).isEqualTo(new BufferOrEvent.EndOfPartition(0));
    assertThat(gate.isFinished()).isFalse();

    local.finish();
    assertThat(gate.pollNext(TIMEOUT)).contains(new BufferOrEvent.EndOfPartition(1));
    assertThat(gate.isFinished()).isTrue();
    assertThat(gate.pollNext(TIMEOUT)).as("nothing after the end, without waiting").isEmpty();
  }

  @Test
  void eachBufferHandedOutLetsTheProducerSendOneMore() throws Exception {
    PipelinedResultPartition partition = producerTm.createPartition("credit-0", 1);
    CreditBasedInputGate gate = gate(producerTm.channelTo("credit-0", 0));
    gate.requestPartitions();
    for (int i = 0; i < 4; i++) {
      emit(partition, "r" + i);
      partition.flushAll();
    }
    await().atMost(TIMEOUT).until(() -> gate.queuedBuffers(0) == 2);
    assertThat(partition.subpartition(0).queuedBuffers()).isEqualTo(2);

    assertThat(nextRecord(gate)).isEqualTo("r0");

    await().atMost(TIMEOUT).until(() -> partition.subpartition(0).queuedBuffers() == 1);
    assertThat(gate.queuedBuffers(0)).isEqualTo(2);
    assertThat(((RemoteInputChannel) gate.channel(0)).creditViolations()).isZero();
  }

  @Test
  void aWakeUpEndsAWaitingPollAtOnceAndDataStillFollows() throws Exception {
    PipelinedResultPartition partition = producerTm.createPartition("idle-0", 1);
    CreditBasedInputGate gate = gate(producerTm.channelTo("idle-0", 0));
    gate.requestPartitions();
    // an idle task waits long on its input; a mail for it must not wait that long
    CompletableFuture<Optional<BufferOrEvent>> waiting =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return gate.pollNext(Duration.ofHours(1));
              } catch (Exception e) {
                throw new CompletionException(e);
              }
            });

    gate.wakeUp();

    assertThat(waiting.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEmpty();
    // a wake-up that comes before the wait ends the next wait: none is lost to the race
    gate.wakeUp();
    assertThat(gate.pollNext(Duration.ofHours(1))).isEmpty();
    emit(partition, "after");
    partition.flushAll();
    assertThat(nextRecord(gate)).isEqualTo("after");
  }

  @Test
  void aSecondRequestForASubpartitionTakesItOverAndTheFirstConsumerFails() throws Exception {
    PipelinedResultPartition partition = producerTm.createPartition("contested-0", 1);
    CreditBasedInputGate first = gate(producerTm.channelTo("contested-0", 0));
    first.requestPartitions();
    await().atMost(TIMEOUT).until(() -> partition.subpartition(0).hasReader());

    CreditBasedInputGate second =
        (CreditBasedInputGate)
            consumerTm.network.createInputGate(
                new InputGateDeployment(0, 0, List.of(producerTm.channelTo("contested-0", 0))),
                "second-consumer");
    toClose.add(second);
    second.requestPartitions();

    assertThat(GateContents.pollUntilFailure(first, TIMEOUT))
        .hasMessageContaining("partition contested-0 (subpartition 0)")
        .hasMessageEndingWith(
            "subpartition 0 of partition contested-0 was taken over by consumer second-consumer");
    emit(partition, "for the second");
    partition.finish();
    assertThat(GateContents.readAllAsText(second, TIMEOUT).get(0))
        .containsExactly("for the second", "end");
  }

  @Test
  void aBadNetworkSettingIsReportedWithItsKey() {
    Configuration config = new Configuration().set(TaskManagerOptions.BUFFERS_PER_CHANNEL, 0);

    assertThatThrownBy(() -> new GrpcNetworkEnvironment(config, "tm-x"))
        .isInstanceOf(IllegalConfigurationException.class)
        .hasMessage(
            "invalid value '0' for configuration key 'taskmanager.network.buffers-per-channel':"
                + " allowed range is >= 1");
  }

  private CreditBasedInputGate gate(InputChannelDeployment... channels) {
    CreditBasedInputGate gate =
        (CreditBasedInputGate)
            consumerTm.network.createInputGate(
                new InputGateDeployment(0, 0, List.of(channels)), "consumer");
    toClose.add(gate);
    return gate;
  }

  private static String nextRecord(InputGate gate) throws Exception {
    BufferOrEvent next = gate.pollNext(TIMEOUT).orElseThrow();
    assertThat(next).isInstanceOf(BufferOrEvent.Records.class);
    List<byte[]> records = GateContents.records((BufferOrEvent.Records) next);
    assertThat(records).hasSize(1);
    return new String(records.get(0), UTF_8);
  }

  private static void emit(PipelinedResultPartition partition, String text)
      throws InterruptedException {
    byte[] bytes = text.getBytes(UTF_8);
    partition.emitRecord(bytes, 0, bytes.length, 0);
  }
}
