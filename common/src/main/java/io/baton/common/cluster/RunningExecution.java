package io.baton.common.cluster;

import io.baton.common.ids.AllocationId;
import io.baton.common.ids.ExecutionId;
import io.baton.common.ids.JobId;
import java.util.Objects;

/**
 * A task a TaskManager still runs, or that FINISHED in a slot still held for its job, when it
 * registers with a new leader: enough for the leader to match it against the job's recorded
 * deployment and adopt it.
 *
 * @param attempt the subtask's attempt number the task was deployed with
 * @param slotIndex the slot it runs (or ran) in on that TaskManager
 * @param finished whether the task ended FINISHED (a bounded source at its end) rather than runs
 */
public record RunningExecution(
    JobId jobId,
    ExecutionId executionId,
    int attempt,
    AllocationId allocationId,
    int slotIndex,
    boolean finished) {

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

  /** A task that still runs. */
  public RunningExecution(
      JobId jobId, ExecutionId executionId, int attempt, AllocationId allocationId, int slotIndex) {
    this(jobId, executionId, attempt, allocationId, slotIndex, false);
  }
}
