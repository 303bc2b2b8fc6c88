package io.baton.taskmanager.executor;

/** A cancelled task did not stop within task.cancellation.timeout. */
final class TaskCancellationTimeoutException extends RuntimeException {
  TaskCancellationTimeoutException(String message) {
    // where the TaskManager noticed says nothing about where the task hangs
    super(message, null, false, false);
  }
}
