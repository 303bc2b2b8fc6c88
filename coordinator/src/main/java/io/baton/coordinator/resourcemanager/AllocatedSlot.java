package io.baton.coordinator.resourcemanager;

import io.baton.common.cluster.RpcAddress;
import io.baton.common.ids.AllocationId;
import io.baton.common.ids.JobId;
import io.baton.common.ids.TaskManagerId;
import io.baton.coordinator.rpc.TaskManagerGateway;

/**
 * A TaskManager slot given to a job. With slot sharing, one slot runs subtask i of every vertex of
 * the job.
 *
 * @param gateway the TaskManager's RPC client, to deploy and cancel tasks in this slot
 */
public record AllocatedSlot(
    AllocationId allocationId,
    JobId jobId,
    TaskManagerId taskManagerId,
    int slotIndex,
    TaskManagerGateway gateway) {

  public RpcAddress address() {
    return gateway.address();
  }

  @Override
  public String toString() {
    return "slot " + slotIndex + " of TaskManager " + taskManagerId + " (" + allocationId + ")";
  }
}
