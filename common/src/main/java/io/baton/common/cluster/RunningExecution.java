package io.baton.common.cluster;

import io.baton.common.ids.AllocationId;
import io.baton.common.ids.ExecutionId;
import io.baton.common.ids.JobId;
import java.util.Objects;

/**
 * A task a TaskManager still runs when it registers with a new leader: enough for the leader to
 * match it against the job's recorded deployment and adopt it.
 *
 * @param attempt the subtask's attempt number the task was deployed with
 * @param slotIndex the slot it runs in on that TaskManager
 */
public record RunningExecution(
    JobId jobId, ExecutionId executionId, int attempt, AllocationId allocationId, int slotIndex) {

  public RunningExecution {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(executionId, "executionId");
    Objects.requireNonNull(allocationId, "allocationId");
    if (attempt < 0 || slotIndex < 0) {
      throw new IllegalArgumentException(
          "running execution "
              + executionId
              + " names attempt "
              + attempt
              + " in slot "
              + slotIndex
              + ": neither may be negative");
    }
  }
}
