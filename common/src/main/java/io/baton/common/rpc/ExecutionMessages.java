package io.baton.common.rpc;

import io.baton.common.cluster.Acknowledgement;
import io.baton.common.execution.ExecutionState;
import io.baton.common.execution.ExecutionStateUpdate;
import io.baton.common.execution.TaskIoCounters;
import io.baton.common.ids.ExecutionId;
import io.baton.common.ids.JobId;
import io.baton.common.ids.TaskManagerId;
import java.util.Optional;

/**
 * Translates execution states, task state updates, task I/O counters and command answers between
 * Baton's types and the protocol's. Reading a message from the wire validates it: a malformed id or
 * an unknown state is an {@link IllegalArgumentException} with one line naming it.
 */
public final class ExecutionMessages {
  private ExecutionMessages() {}

  public static TaskState toProto(ExecutionState state) {
    return TaskState.valueOf(state.name());
  }

  /**
   * @throws IllegalArgumentException for an unset or unknown state
   */
  public static ExecutionState fromProto(TaskState state) {
    if (state == TaskState.TASK_STATE_UNSPECIFIED || state == TaskState.UNRECOGNIZED) {
      throw new IllegalArgumentException("no task state in the message (" + state + ")");
    }
    return ExecutionState.valueOf(state.name());
  }

  public static TaskMetrics toProto(TaskIoCounters counters) {
    return TaskMetrics.newBuilder()
        .setExecutionId(counters.executionId().value())
        .setRecordsIn(counters.recordsIn())
        .setRecordsOut(counters.recordsOut())
        .setBytesIn(counters.bytesIn())
        .setBytesOut(counters.bytesOut())
        .setBackpressure(counters.backpressure())
        .build();
  }

  public static TaskIoCounters fromProto(TaskMetrics metrics) {
    return new TaskIoCounters(
        ExecutionId.parse(metrics.getExecutionId()),
        metrics.getRecordsIn(),
        metrics.getRecordsOut(),
        metrics.getBytesIn(),
        metrics.getBytesOut(),
        metrics.getBackpressure());
  }

  public static TaskStateUpdate toProto(ExecutionStateUpdate update) {
    TaskStateUpdate.Builder builder =
        TaskStateUpdate.newBuilder()
            .setJobId(update.jobId().value())
            .setExecutionId(update.executionId().value())
            .setState(toProto(update.state()))
            .setFailureCause(update.failureCause())
            .setTaskManagerId(update.taskManagerId().value());
    update.finalMetrics().ifPresent(m -> builder.setFinalMetrics(toProto(m)));
    return builder.build();
  }

  public static ExecutionStateUpdate fromProto(TaskStateUpdate update) {
    return new ExecutionStateUpdate(
        JobId.parse(update.getJobId()),
        ExecutionId.parse(update.getExecutionId()),
        fromProto(update.getState()),
        update.getFailureCause(),
        TaskManagerId.parse(update.getTaskManagerId()),
        update.hasFinalMetrics()
            ? Optional.of(fromProto(update.getFinalMetrics()))
            : Optional.empty());
  }

  public static Ack toProto(Acknowledgement acknowledgement) {
    return Ack.newBuilder().setOk(acknowledgement.ok()).setError(acknowledgement.error()).build();
  }

  public static Acknowledgement fromProto(Ack ack) {
    return ack.getOk() ? Acknowledgement.accepted() : Acknowledgement.refused(ack.getError());
  }
}
