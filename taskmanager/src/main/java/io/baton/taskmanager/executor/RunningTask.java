package io.baton.taskmanager.executor;

import io.baton.common.cluster.RunningExecution;
import io.baton.common.ids.JobId;

/**
 * A task on this TaskManager and the slot it runs in.
 *
 * @param attempt the subtask's attempt number it was deployed with
 * @param slotIndex the slot it runs in
 */
record RunningTask(
    TaskHandle handle,
    JobId jobId,
    SlotTable.Allocation allocation,
    String name,
    int attempt,
    int slotIndex) {

  /** What a new leader is told of this task when the TaskManager registers. */
  RunningExecution report() {
    return new RunningExecution(
        jobId, handle.executionId(), attempt, allocation.allocationId(), slotIndex);
  }

  /** The execution id as logged. */
  String execution() {
    return handle.executionId().value();
  }
}
