package io.baton.taskmanager.executor;

import io.baton.common.execution.ExecutionState;
import io.baton.common.execution.TaskIoCounters;
import io.baton.common.ids.ExecutionId;
import io.baton.taskmanager.task.Task;
import java.util.concurrent.CompletableFuture;

/**
 * What the TaskManager needs of one running task: start it, cancel it, read its metrics and learn
 * when it ended. {@link Task} is the real one; {@link #of(Task)} adapts it.
 */
public interface TaskHandle {

  ExecutionId executionId();

  /** Starts the task's own thread; returns at once. */
  void start();

  /** Asks the task to stop; idempotent. */
  void cancel();

  ExecutionState state();

  /** Safe to call from any thread. */
  TaskIoCounters metrics();

  /** Completes with FINISHED, CANCELED or FAILED once the task's thread has ended. */
  CompletableFuture<ExecutionState> terminationFuture();

  /**
   * True when the task's thread is inside System.exit (user code called it): it then waits for the
   * JVM's shutdown, which waits for the TaskManager to stop, so it never ends on its own.
   */
  default boolean isExitingJvm() {
    return false;
  }

  /**
   * Asks the task to take a checkpoint (source tasks only).
   *
   * @return false when the task takes no checkpoints (it ended or does not support them)
   */
  default boolean triggerCheckpoint(
      long checkpointId, long timestamp, String checkpointDir, boolean isSavepoint) {
    return false;
  }

  /**
   * Tells the task a checkpoint completed.
   *
   * @return false when the task can no longer be told
   */
  default boolean notifyCheckpointComplete(long checkpointId) {
    return false;
  }

  /**
   * Tells the task a checkpoint was aborted.
   *
   * @return false when the task can no longer be told
   */
  default boolean notifyCheckpointAborted(long checkpointId) {
    return false;
  }

  /** Adapts a {@link Task}. */
  static TaskHandle of(Task task) {
    return new TaskHandle() {
      @Override
      public ExecutionId executionId() {
        return task.executionId();
      }

      @Override
      public void start() {
        task.start();
      }

      @Override
      public void cancel() {
        task.cancel();
      }

      @Override
      public ExecutionState state() {
        return task.state();
      }

      @Override
      public TaskIoCounters metrics() {
        return task.metrics();
      }

      @Override
      public CompletableFuture<ExecutionState> terminationFuture() {
        return task.terminationFuture();
      }

      @Override
      public boolean isExitingJvm() {
        return task.isExitingJvm();
      }

      @Override
      public boolean triggerCheckpoint(
          long checkpointId, long timestamp, String checkpointDir, boolean isSavepoint) {
        return task.triggerCheckpoint(checkpointId, timestamp, checkpointDir, isSavepoint);
      }

      @Override
      public boolean notifyCheckpointComplete(long checkpointId) {
        return task.notifyCheckpointComplete(checkpointId);
      }

      @Override
      public boolean notifyCheckpointAborted(long checkpointId) {
        return task.notifyCheckpointAborted(checkpointId);
      }
    };
  }
}
