package io.baton.taskmanager.task;

import io.baton.common.ids.ExecutionId;
import io.baton.common.rpc.TaskState;

/** Told by a {@link Task} about its state changes; called from the task's thread. */
@FunctionalInterface
public interface TaskListener {

  /**
   * @param cause for FAILED: why; else null
   */
  void stateChanged(ExecutionId executionId, TaskState state, Throwable cause);
}
