package io.baton.taskmanager;

import io.baton.common.ids.ExecutionId;
import io.baton.common.rpc.TaskMetrics;
import io.baton.common.rpc.TaskState;
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
    created.put(environment.descriptor().getExecutionId(), task);
    return task;
  }

  FakeTask get(String executionId) {
    return created.get(executionId);
  }

  /** A task that runs until the test finishes or fails it, or it is cancelled. */
  static final class FakeTask implements TaskHandle {
    final TaskEnvironment environment;
    private final ExecutionId executionId;
    private final CompletableFuture<TaskState> termination = new CompletableFuture<>();
    private volatile TaskState state = TaskState.CREATED;
    private final boolean ignoreCancel;
    volatile boolean cancelRequested;

    /** Set: the task's thread is inside System.exit, as user code calling it leaves it. */
    volatile boolean exitingJvm;

    /** The checkpoint calls the task received, e.g. "trigger 3 file:/x", "complete 3". */
    final List<String> checkpointCalls = new CopyOnWriteArrayList<>();

    FakeTask(TaskEnvironment environment, boolean ignoreCancel) {
      this.environment = environment;
      this.ignoreCancel = ignoreCancel;
      this.executionId = ExecutionId.parse(environment.descriptor().getExecutionId());
    }

    @Override
    public ExecutionId executionId() {
      return executionId;
    }

    @Override
    public void start() {
      new Thread(
              () -> {
                transition(TaskState.DEPLOYING, null);
                transition(TaskState.RUNNING, null);
              },
              "fake-task-" + executionId)
          .start();
    }

    @Override
    public void cancel() {
      cancelRequested = true;
      if (!ignoreCancel) {
        transition(TaskState.CANCELED, null);
      }
    }

    void finish() {
      transition(TaskState.FINISHED, null);
    }

    void fail(Throwable cause) {
      transition(TaskState.FAILED, cause);
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
    public TaskState state() {
      return state;
    }

    @Override
    public TaskMetrics metrics() {
      return TaskMetrics.newBuilder()
          .setExecutionId(executionId.value())
          .setRecordsIn(42)
          .setRecordsOut(7)
          .build();
    }

    @Override
    public CompletableFuture<TaskState> terminationFuture() {
      return termination;
    }

    @Override
    public boolean isExitingJvm() {
      return exitingJvm;
    }

    private synchronized void transition(TaskState next, Throwable cause) {
      if (termination.isDone()) {
        return;
      }
      state = next;
      environment.listener().stateChanged(executionId, next, cause);
      if (next == TaskState.FINISHED || next == TaskState.CANCELED || next == TaskState.FAILED) {
        termination.complete(next);
      }
    }
  }
}
