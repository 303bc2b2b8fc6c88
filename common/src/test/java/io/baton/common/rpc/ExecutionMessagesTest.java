package io.baton.common.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.common.cluster.Acknowledgement;
import io.baton.common.execution.ExecutionState;
import io.baton.common.execution.ExecutionStateUpdate;
import org.junit.jupiter.api.Test;

class ExecutionMessagesTest {
  static final String JOB = "0123456789abcdef0123456789abcdef";
  static final String EXECUTION = "fedcba9876543210fedcba9876543210";
  static final String TASK_MANAGER = "00112233445566778899aabbccddeeff";

  static TaskMetrics metrics() {
    return TaskMetrics.newBuilder()
        .setExecutionId(EXECUTION)
        .setRecordsIn(1)
        .setRecordsOut(2)
        .setBytesIn(3)
        .setBytesOut(4)
        .setBackpressure(0.25)
        .build();
  }

  @Test
  void everyStateKeepsItsName() {
    for (ExecutionState state : ExecutionState.values()) {
      assertThat(ExecutionMessages.fromProto(ExecutionMessages.toProto(state))).isEqualTo(state);
    }
  }

  @Test
  void anUpdateWithFailureAndFinalMetricsSurvivesTheRoundTrip() {
    TaskStateUpdate wire =
        TaskStateUpdate.newBuilder()
            .setJobId(JOB)
            .setExecutionId(EXECUTION)
            .setState(TaskState.FAILED)
            .setFailureCause("java.lang.IllegalStateException: boom\n\tat x")
            .setTaskManagerId(TASK_MANAGER)
            .setFinalMetrics(metrics())
            .build();

    ExecutionStateUpdate update = ExecutionMessages.fromProto(wire);

    assertThat(update.state()).isEqualTo(ExecutionState.FAILED);
    assertThat(update.finalMetrics())
        .hasValueSatisfying(m -> assertThat(m.bytesOut()).isEqualTo(4));
    assertThat(ExecutionMessages.toProto(update)).isEqualTo(wire);
  }

  @Test
  void anUpdateWithoutCauseOrMetricsStaysWithout() {
    TaskStateUpdate wire =
        TaskStateUpdate.newBuilder()
            .setJobId(JOB)
            .setExecutionId(EXECUTION)
            .setState(TaskState.RUNNING)
            .setTaskManagerId(TASK_MANAGER)
            .build();

    ExecutionStateUpdate update = ExecutionMessages.fromProto(wire);

    assertThat(update.failureCause()).isEmpty();
    assertThat(update.finalMetrics()).isEmpty();
    assertThat(ExecutionMessages.toProto(update)).isEqualTo(wire);
  }

  @Test
  void aMalformedUpdateIsRefusedWithOneLineNamingTheField() {
    TaskStateUpdate noState =
        TaskStateUpdate.newBuilder()
            .setJobId(JOB)
            .setExecutionId(EXECUTION)
            .setTaskManagerId(TASK_MANAGER)
            .build();
    TaskStateUpdate badJob = noState.toBuilder().setState(TaskState.RUNNING).setJobId("x").build();

    assertThatThrownBy(() -> ExecutionMessages.fromProto(noState))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no task state in the message (TASK_STATE_UNSPECIFIED)");
    assertThatThrownBy(() -> ExecutionMessages.fromProto(badJob))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid job id 'x': expected 32 hex digits");
  }

  @Test
  void backpressureOutsideZeroToOneIsRefused() {
    TaskMetrics wire = metrics().toBuilder().setBackpressure(1.5).build();

    assertThatThrownBy(() -> ExecutionMessages.fromProto(wire))
        .hasMessage("backpressure of execution " + EXECUTION + " is 1.5, not in 0..1");
  }

  @Test
  void acknowledgementsKeepTheirError() {
    Ack refused = Ack.newBuilder().setOk(false).setError("slot 3 is taken").build();
    Ack accepted = Ack.newBuilder().setOk(true).build();

    assertThat(ExecutionMessages.fromProto(refused))
        .isEqualTo(Acknowledgement.refused("slot 3 is taken"));
    assertThat(ExecutionMessages.toProto(ExecutionMessages.fromProto(refused))).isEqualTo(refused);
    assertThat(ExecutionMessages.toProto(ExecutionMessages.fromProto(accepted)))
        .isEqualTo(accepted);
  }
}
