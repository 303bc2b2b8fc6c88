package io.baton.common.rpc;

import static io.baton.common.rpc.ExecutionMessagesTest.EXECUTION;
import static io.baton.common.rpc.ExecutionMessagesTest.JOB;
import static org.assertj.core.api.Assertions.assertThat;

import io.baton.common.checkpoint.CheckpointAcknowledgement;
import io.baton.common.checkpoint.CheckpointNotice;
import io.baton.common.checkpoint.CheckpointTrigger;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CheckpointMessagesTest {

  static StateHandle handle(int subtask) {
    return StateHandle.newBuilder()
        .setPath("s3://bucket/chk-7/state-" + subtask)
        .setSizeBytes(1234)
        .setChecksum(0xCAFEL)
        .setKeyGroupStart(0)
        .setKeyGroupEnd(63)
        .setOperatorIndex(1)
        .setKind("keyed")
        .setOperatorUid("counter")
        .setSubtaskIndex(subtask)
        .setParallelism(4)
        .build();
  }

  @Test
  void aStateHandleKeepsEveryField() {
    StateHandle wire = handle(2);

    assertThat(CheckpointMessages.toProto(CheckpointMessages.fromProto(wire))).isEqualTo(wire);
    assertThat(CheckpointMessages.fromProto(wire).operatorUid()).isEqualTo("counter");
  }

  @Test
  void anEmptyStateHandleStaysEmpty() {
    StateHandle wire = StateHandle.getDefaultInstance();

    assertThat(CheckpointMessages.toProto(CheckpointMessages.fromProto(wire))).isEqualTo(wire);
  }

  @Test
  void anAcknowledgementKeepsItsStateAndDurations() {
    CheckpointAck wire =
        CheckpointAck.newBuilder()
            .setJobId(JOB)
            .setExecutionId(EXECUTION)
            .setCheckpointId(7)
            .addState(handle(0))
            .addState(handle(1))
            .setSyncDurationMs(5)
            .setAsyncDurationMs(60)
            .setAlignmentDurationMs(3)
            .build();

    CheckpointAcknowledgement ack = CheckpointMessages.fromProto(wire);

    assertThat(ack.state()).hasSize(2);
    assertThat(ack.asyncDuration()).isEqualTo(Duration.ofMillis(60));
    assertThat(CheckpointMessages.toProto(ack)).isEqualTo(wire);
  }

  @Test
  void anAcknowledgementWithoutStateStaysWithout() {
    CheckpointAck wire =
        CheckpointAck.newBuilder()
            .setJobId(JOB)
            .setExecutionId(EXECUTION)
            .setCheckpointId(1)
            .build();

    assertThat(CheckpointMessages.fromProto(wire).state()).isEmpty();
    assertThat(CheckpointMessages.toProto(CheckpointMessages.fromProto(wire))).isEqualTo(wire);
  }

  @Test
  void aDeclineKeepsItsReason() {
    CheckpointDecline wire =
        CheckpointDecline.newBuilder()
            .setJobId(JOB)
            .setExecutionId(EXECUTION)
            .setCheckpointId(9)
            .setReason("task not running")
            .build();
    CheckpointDecline noReason = wire.toBuilder().clearReason().build();

    assertThat(CheckpointMessages.toProto(CheckpointMessages.fromProto(wire))).isEqualTo(wire);
    assertThat(CheckpointMessages.toProto(CheckpointMessages.fromProto(noReason)))
        .isEqualTo(noReason);
  }

  @Test
  void aTriggerCarriesTheFencingTokenOnlyOnTheWire() {
    TriggerCheckpointRequest wire =
        TriggerCheckpointRequest.newBuilder()
            .setFencingToken("session-1")
            .setJobId(JOB)
            .setExecutionId(EXECUTION)
            .setCheckpointId(4)
            .setTimestamp(1_700_000_000_000L)
            .setCheckpointDir("file:///tmp/chk/" + JOB + "/chk-4")
            .setIsSavepoint(true)
            .build();

    CheckpointTrigger trigger = CheckpointMessages.fromProto(wire);

    assertThat(trigger.savepoint()).isTrue();
    assertThat(CheckpointMessages.toProto(trigger, "session-1")).isEqualTo(wire);
    TriggerCheckpointRequest plain =
        TriggerCheckpointRequest.newBuilder().setJobId(JOB).setExecutionId(EXECUTION).build();
    assertThat(CheckpointMessages.toProto(CheckpointMessages.fromProto(plain), ""))
        .isEqualTo(plain);
  }

  @Test
  void aNotificationKeepsItsCheckpoint() {
    CheckpointNotification wire =
        CheckpointNotification.newBuilder()
            .setFencingToken("session-2")
            .setJobId(JOB)
            .setExecutionId(EXECUTION)
            .setCheckpointId(11)
            .build();

    CheckpointNotice notice = CheckpointMessages.fromProto(wire);

    assertThat(notice.checkpointId()).isEqualTo(11);
    assertThat(CheckpointMessages.toProto(notice, "session-2")).isEqualTo(wire);
  }
}
