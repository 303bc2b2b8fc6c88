package io.baton.taskmanager.task;

import io.baton.common.execution.ExecutionState;
import io.baton.common.ids.ExecutionId;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one task and its transitions, readable from any thread. The task's thread moves it
 * forward (DEPLOYING, RUNNING, a terminal state); other threads may only ask it to cancel, and a
 * cancel wins over whatever the task's thread decides afterwards.
 */
final class TaskLifecycle {
  // logged under Task's name: every line about a task stays in one log category
  private static final Logger LOG = LoggerFactory.getLogger(Task.class);

  private final AtomicReference<ExecutionState> state =
      new AtomicReference<>(ExecutionState.CREATED);
  private final TaskListener listener;
  private final ExecutionId executionId;
  private final String taskNameWithSubtask;

  TaskLifecycle(TaskListener listener, ExecutionId executionId, String taskNameWithSubtask) {
    this.listener = listener;
    this.executionId = executionId;
    this.taskNameWithSubtask = taskNameWithSubtask;
  }

  ExecutionState get() {
    return state.get();
  }

  void set(ExecutionState newState) {
    state.set(newState);
  }

  boolean compareAndSet(ExecutionState expected, ExecutionState newState) {
    return state.compareAndSet(expected, newState);
  }

  /** True once the task is canceling or has ended: it takes no more checkpoint actions. */
  boolean isEndingOrEnded() {
    ExecutionState current = state.get();
    return isTerminal(current) || current == ExecutionState.CANCELING;
  }

  /** Throws when a cancel was asked for, so the task's thread stops at its next step. */
  void checkNotCanceled() {
    if (state.get() == ExecutionState.CANCELING) {
      throw canceled();
    }
  }

  CancellationException canceled() {
    return new CancellationException("task " + taskNameWithSubtask + " was canceled");
  }

  /**
   * Moves a task whose thread ended to FINISHED (no failure) or FAILED, unless it is canceling.
   *
   * @return the terminal state the task ends in
   */
  ExecutionState decideTerminalState(Throwable failure) {
    ExecutionState wanted = failure == null ? ExecutionState.FINISHED : ExecutionState.FAILED;
    while (true) {
      ExecutionState current = state.get();
      if (current == ExecutionState.CANCELING) {
        // a cancel wins over whatever the task was doing, also over a failure it caused
        return ExecutionState.CANCELED;
      }
      if (state.compareAndSet(current, wanted)) {
        return wanted;
      }
    }
  }

  /** Tells the listener; a listener's error is logged, never thrown into the task. */
  void notifyListener(ExecutionState newState, Throwable cause) {
    try {
      listener.stateChanged(executionId, newState, cause);
    } catch (RuntimeException e) {
      LOG.error(
          "{} ({}): the task listener failed on {}", taskNameWithSubtask, executionId, newState, e);
    }
  }

  static boolean isTerminal(ExecutionState state) {
    return state == ExecutionState.FINISHED
        || state == ExecutionState.CANCELED
        || state == ExecutionState.FAILED;
  }
}
