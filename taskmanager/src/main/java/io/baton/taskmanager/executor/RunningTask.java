package io.baton.taskmanager.executor;

import io.baton.common.ids.JobId;

/** A task on this TaskManager and the slot it runs in. */
record RunningTask(TaskHandle handle, JobId jobId, SlotTable.Allocation allocation, String name) {

  /** The execution id as logged. */
  String execution() {
    return handle.executionId().value();
  }
}
