package io.baton.common.cluster;

import io.baton.common.ids.ExecutionId;
import io.baton.common.ids.TaskManagerId;
import java.util.List;
import java.util.Objects;

/**
 * A TaskManager introducing itself to the leading JobManager and offering its slots.
 *
 * @param rpcAddress where the TaskManager serves its control and data exchange endpoints
 * @param runningExecutions the tasks it still runs and was not told to cancel: after a JobManager
 *     failover a new leader adopts those its deployment records name
 *     (jobmanager.failover.reconcile)
 */
public record TaskManagerRegistration(
    TaskManagerId taskManagerId,
    RpcAddress rpcAddress,
    int numberOfSlots,
    long physicalMemoryBytes,
    int cpuCores,
    List<RunningExecution> runningExecutions) {

  public TaskManagerRegistration {
    Objects.requireNonNull(taskManagerId, "taskManagerId");
    Objects.requireNonNull(rpcAddress, "rpcAddress");
    if (numberOfSlots < 0) {
      throw new IllegalArgumentException(
          "TaskManager " + taskManagerId + " offers " + numberOfSlots + " slots");
    }
    runningExecutions = List.copyOf(runningExecutions);
  }

  /** The ids of {@link #runningExecutions}. */
  public List<ExecutionId> runningExecutionIds() {
    return runningExecutions.stream().map(RunningExecution::executionId).toList();
  }
}
