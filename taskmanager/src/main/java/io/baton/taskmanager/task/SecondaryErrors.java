package io.baton.taskmanager.task;

import io.baton.common.ids.ExecutionId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Errors that happen while a task cleans up: they are suppressed into the task's failure when there
 * is one, else logged, so a cleanup error never hides why the task ended.
 */
final class SecondaryErrors {
  // logged under Task's name: every line about a task stays in one log category
  private static final Logger LOG = LoggerFactory.getLogger(Task.class);

  private final ExecutionId executionId;
  private final String taskNameWithSubtask;

  SecondaryErrors(ExecutionId executionId, String taskNameWithSubtask) {
    this.executionId = executionId;
    this.taskNameWithSubtask = taskNameWithSubtask;
  }

  /** Records {@code e}, which happened while doing {@code what}. */
  void record(Throwable failure, String what, Exception e) {
    if (failure != null && failure != e) {
      failure.addSuppressed(e);
    } else {
      LOG.warn("{} ({}): error while {}", taskNameWithSubtask, executionId, what, e);
    }
  }
}
