package io.baton.common.cluster;

import io.baton.common.ids.ExecutionId;
import io.baton.common.ids.TaskManagerId;
import java.util.List;
import java.util.Objects;

/**
 * A TaskManager introducing itself to the leading JobManager and offering its slots.
 *
 * @param rpcAddress where the TaskManager serves its control and data exchange endpoints
 * @param runningExecutionIds tasks still running on it after a JobManager failover. Read by
 *     reconciliation (issue 12): not yet; carried so the leader can reconcile with it then
 */
public record TaskManagerRegistration(
    TaskManagerId taskManagerId,
    RpcAddress rpcAddress,
    int numberOfSlots,
    long physicalMemoryBytes,
    int cpuCores,
    List<ExecutionId> runningExecutionIds) {

  public TaskManagerRegistration {
    Objects.requireNonNull(taskManagerId, "taskManagerId");
    Objects.requireNonNull(rpcAddress, "rpcAddress");
    if (numberOfSlots < 0) {
      throw new IllegalArgumentException(
          "TaskManager " + taskManagerId + " offers " + numberOfSlots + " slots");
    }
    runningExecutionIds = List.copyOf(runningExecutionIds);
  }
}
