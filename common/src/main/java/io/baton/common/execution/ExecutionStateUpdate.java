package io.baton.common.execution;

import io.baton.common.ids.ExecutionId;
import io.baton.common.ids.JobId;
import io.baton.common.ids.TaskManagerId;
import java.util.Objects;
import java.util.Optional;

/**
 * A TaskManager's report that one of its tasks moved to a new state.
 *
 * @param failureCause for {@link ExecutionState#FAILED}: the root cause, class and message first,
 *     then the stack trace; empty otherwise
 * @param finalMetrics with a terminal state: the task's counters at its end, which no heartbeat
 *     carries
 */
public record ExecutionStateUpdate(
    JobId jobId,
    ExecutionId executionId,
    ExecutionState state,
    String failureCause,
    TaskManagerId taskManagerId,
    Optional<TaskIoCounters> finalMetrics) {

  public ExecutionStateUpdate {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(executionId, "executionId");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(taskManagerId, "taskManagerId");
    failureCause = failureCause == null ? "" : failureCause;
    finalMetrics = finalMetrics == null ? Optional.empty() : finalMetrics;
  }
}
