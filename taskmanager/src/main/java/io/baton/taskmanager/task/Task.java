package io.baton.taskmanager.task;

import io.baton.common.ids.ExecutionId;
import io.baton.common.rpc.TaskMetrics;
import io.baton.common.rpc.TaskState;
import java.util.concurrent.CompletableFuture;

/**
 * One subtask running on a TaskManager, in a thread of its own: reads its inputs, drives its
 * operator chain and writes its outputs until its input ends, it fails, or it is cancelled.
 */
public final class Task {

  public Task(TaskEnvironment environment) {
    throw new UnsupportedOperationException("scaffold: Task is being written");
  }

  public ExecutionId executionId() {
    throw new UnsupportedOperationException();
  }

  /** Starts the task's thread: DEPLOYING, then RUNNING once its chain is open. */
  public void start() {
    throw new UnsupportedOperationException();
  }

  /** Asks the task to stop; it reports CANCELED when it has. Idempotent. */
  public void cancel() {
    throw new UnsupportedOperationException();
  }

  public TaskState state() {
    throw new UnsupportedOperationException();
  }

  /** Records and bytes in and out so far (safe to call from any thread). */
  public TaskMetrics metrics() {
    throw new UnsupportedOperationException();
  }

  /** Completes with FINISHED, CANCELED or FAILED once the task's thread has ended. */
  public CompletableFuture<TaskState> terminationFuture() {
    throw new UnsupportedOperationException();
  }
}
