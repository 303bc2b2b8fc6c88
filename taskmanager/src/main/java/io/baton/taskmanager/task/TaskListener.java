package io.baton.taskmanager.task;

import io.baton.common.execution.ExecutionState;
import io.baton.common.ids.ExecutionId;

/**
 * Told by a {@link Task} about its state changes: RUNNING, then FINISHED, CANCELED or FAILED.
 * Called from the task's thread (only a task canceled before it started reports CANCELED from the
 * thread that canceled it).
 */
@FunctionalInterface
public interface TaskListener {

  /**
   * @param cause for FAILED: why; else null
   */
  void stateChanged(ExecutionId executionId, ExecutionState state, Throwable cause);
}
