package io.baton.taskmanager;

import io.baton.common.execution.ExecutionState;
import io.baton.common.execution.TaskIoCounters;
import io.baton.common.ids.ExecutionId;
import io.baton.taskmanager.executor.TaskFactory;
import io.baton.taskmanager.executor.TaskHandle;
import io.baton.taskmanager.task.TaskEnvironment;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Creates {@link FakeTask}s and keeps them by execution id, for tests to drive. */
final class FakeTasks implements TaskFactory {
  final Map<String, FakeTask> created = new ConcurrentHashMap<>();

  /** Tasks created from now on ignore cancel, as a task stuck in user code would. */
  volatile boolean ignoreCancel;

  @Override
  public TaskHandle create(TaskEnvironment environment) {
    FakeTask task = new FakeTask(environment, ignoreCancel);
    created.put(environment.descriptor().executionId().value(), task);
    return task;
  }

  FakeTask get(String executionId) {
    return created.get(executionId);
  }

  /** A task that runs until the test finishes or fails it, or it is cancelled. */
  static final class FakeTask implements TaskHandle {
    final TaskEnvironment environment;
    private final ExecutionId executionId;
    private final CompletableFuture<ExecutionState> termination = new CompletableFuture<>();
    private volatile ExecutionState state = ExecutionState.CREATED;
    private final boolean ignoreCancel;
    volatile boolean cancelRequested;

    /** Set: the task's thread is inside System.exit, as user code calling it leaves it. */
    volatile boolean exitingJvm;

    /** The checkpoint calls the task received, e.g. "trigger 3 file:/x", "complete 3". */
    final List<String> checkpointCalls = new CopyOnWriteArrayList<>();

    FakeTask(TaskEnvironment environment, boolean ignoreCancel) {
      this.environment = environment;
      this.ignoreCancel = ignoreCancel;
      this.executionId = environment.descriptor().executionId();
    }

    @Override
    public ExecutionId executionId() {
      return executionId;
    }

    @Override
    public void start() {
      new Thread(
              () -> {
                transition(ExecutionState.DEPLOYING, null);
                transition(ExecutionState.RUNNING, null);
              },
              "fake-task-" + executionId)
          .start();
    }

    @Override
    public void cancel() {
      cancelRequested = true;
      if (!ignoreCancel) {
        transition(ExecutionState.CANCELED, null);
      }
    }

    void finish() {
      transition(ExecutionState.FINISHED, null);
    }

    void fail(Throwable cause) {
      transition(ExecutionState.FAILED, cause);
    }

    @Override
    public boolean triggerCheckpoint(
        long checkpointId, long timestamp, String checkpointDir, boolean isSavepoint) {
      checkpointCalls.add("trigger " + checkpointId + " " + checkpointDir);
      return !termination.isDone();
    }

    @Override
    public boolean notifyCheckpointComplete(long checkpointId) {
      checkpointCalls.add("complete " + checkpointId);
      return !termination.isDone();
    }

    @Override
    public boolean notifyCheckpointAborted(long checkpointId) {
      checkpointCalls.add("abort " + checkpointId);
      return !termination.isDone();
    }

    @Override
    public ExecutionState state() {
      return state;
    }

    @Override
    public TaskIoCounters metrics() {
      return new TaskIoCounters(executionId, 42, 7, 0, 0, 0);
    }

    @Override
    public CompletableFuture<ExecutionState> terminationFuture() {
      return termination;
    }

    @Override
    public boolean isExitingJvm() {
      return exitingJvm;
    }

    private synchronized void transition(ExecutionState next, Throwable cause) {
      if (termination.isDone()) {
        return;
      }
      state = next;
      environment.listener().stateChanged(executionId, next, cause);
      if (next == ExecutionState.FINISHED
          || next == ExecutionState.CANCELED
          || next == ExecutionState.FAILED) {
        termination.complete(next);
      }
    }
  }
}
