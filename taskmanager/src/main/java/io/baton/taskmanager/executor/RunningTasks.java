package io.baton.taskmanager.executor;

import io.baton.common.cluster.RunningExecution;
import io.baton.common.concurrent.MainThreadExecutor;
import io.baton.common.config.Configuration;
import io.baton.common.config.TaskManagerOptions;
import io.baton.common.execution.ExecutionState;
import io.baton.common.execution.TaskIoCounters;
import io.baton.common.ids.AllocationId;
import io.baton.common.ids.ExecutionId;
import io.baton.common.ids.JobId;
import io.baton.taskmanager.task.TaskListener;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tasks running on this TaskManager: follows their states, reports them to the JobManager,
 * watches cancelled tasks until they stop, and releases a job's libraries when its last task and
 * slot are gone. Used on the TaskExecutor's main thread only.
 */
final class RunningTasks {
  private static final Logger LOG = LoggerFactory.getLogger(RunningTasks.class);
  private static final Set<ExecutionState> REPORTED =
      EnumSet.of(
          ExecutionState.RUNNING,
          ExecutionState.FINISHED,
          ExecutionState.CANCELED,
          ExecutionState.FAILED);
  private static final Set<ExecutionState> TERMINAL =
      EnumSet.of(ExecutionState.FINISHED, ExecutionState.CANCELED, ExecutionState.FAILED);

  private final Configuration config;
  private final MainThreadExecutor mainThread;
  private final TaskStateReporter reporter;
  private final JobLibraries libraries;
  private final SlotTable slots;
  private final Map<ExecutionId, RunningTask> running = new HashMap<>();

  /** Running tasks that were told to cancel and have not ended yet. */
  private final Set<ExecutionId> cancelling = new HashSet<>();

  /**
   * Tasks declared FAILED because they did not stop after cancel; their own reports are dropped.
   */
  private final Set<ExecutionId> abandoned = new HashSet<>();

  RunningTasks(
      Configuration config,
      MainThreadExecutor mainThread,
      TaskStateReporter reporter,
      JobLibraries libraries,
      SlotTable slots) {
    this.config = config;
    this.mainThread = mainThread;
    this.reporter = reporter;
    this.libraries = libraries;
    this.slots = slots;
  }

  RunningTask get(ExecutionId executionId) {
    return running.get(executionId);
  }

  boolean contains(ExecutionId executionId) {
    return running.containsKey(executionId);
  }

  void add(ExecutionId executionId, RunningTask task) {
    mainThread.assertRunningInMainThread();
    running.put(executionId, task);
  }

  /** Forgets a task that never started. */
  void remove(ExecutionId executionId) {
    mainThread.assertRunningInMainThread();
    running.remove(executionId);
    cancelling.remove(executionId);
  }

  /** A live view of the running tasks. */
  Collection<RunningTask> all() {
    return running.values();
  }

  /** The tasks that run and were not told to cancel: what a (new) JobManager may take over. */
  List<RunningExecution> notCancelling() {
    return running.values().stream()
        .filter(task -> !cancelling.contains(task.handle().executionId()))
        .map(RunningTask::report)
        .toList();
  }

  /** Whether the task of {@code executionId} was told to cancel. */
  boolean isCancelling(ExecutionId executionId) {
    return cancelling.contains(executionId);
  }

  int size() {
    return running.size();
  }

  /** The tasks that run in the slot of {@code allocation}. */
  List<RunningTask> inAllocation(AllocationId allocation) {
    return running.values().stream()
        .filter(task -> task.allocation().allocationId().equals(allocation))
        .toList();
  }

  /** Reports a job's task state changes from the task's thread to the main thread. */
  TaskListener listenerFor(JobId jobId) {
    return (executionId, state, cause) -> {
      try {
        mainThread.execute(() -> taskStateChanged(jobId, executionId, state, cause));
      } catch (RejectedExecutionException shuttingDown) {
        LOG.info(
            "Execution {} of job {} is {}; the TaskManager has shut down, not reporting it",
            executionId,
            jobId,
            state);
      }
    };
  }

  /**
   * Cancels a task; if it has not stopped within task.cancellation.timeout it is declared FAILED
   * and its slot's resources are no longer held for it.
   */
  void cancel(RunningTask task) {
    mainThread.assertRunningInMainThread();
    cancelling.add(task.handle().executionId());
    task.handle().cancel();
    Duration timeout = config.get(TaskManagerOptions.TASK_CANCELLATION_TIMEOUT);
    mainThread.schedule(() -> declareFailedIfStillRunning(task, timeout), timeout);
  }

  private void declareFailedIfStillRunning(RunningTask task, Duration timeout) {
    mainThread.assertRunningInMainThread();
    ExecutionId executionId = task.handle().executionId();
    if (running.get(executionId) != task || task.handle().terminationFuture().isDone()) {
      return;
    }
    TaskCancellationTimeoutException cause =
        new TaskCancellationTimeoutException(
            task.name()
                + " did not stop within task.cancellation.timeout ("
                + timeout.toMillis()
                + " ms) after it was cancelled");
    LOG.error(
        "{} of job {} ({}) did not stop within {} ms after it was cancelled; declaring it"
            + " FAILED and no longer reporting its states",
        task.name(),
        task.jobId(),
        executionId,
        timeout.toMillis());
    abandon(task, cause);
  }

  /**
   * Reports a task FAILED with {@code cause} while its thread still runs (and may never end), and
   * forgets it: whatever it reports later is only logged.
   */
  void abandon(RunningTask task, RuntimeException cause) {
    mainThread.assertRunningInMainThread();
    ExecutionId executionId = task.handle().executionId();
    abandoned.add(executionId);
    reporter.report(
        task.jobId(), executionId, ExecutionState.FAILED, cause, task.handle().metrics());
    taskEnded(executionId, task);
  }

  private void taskStateChanged(
      JobId jobId, ExecutionId executionId, ExecutionState state, Throwable cause) {
    mainThread.assertRunningInMainThread();
    if (abandoned.contains(executionId)) {
      LOG.info(
          "Execution {} of job {}, declared FAILED after its cancellation timed out, is now {}",
          executionId,
          jobId,
          state);
      if (TERMINAL.contains(state)) {
        abandoned.remove(executionId);
      }
      return;
    }
    RunningTask task = running.get(executionId);
    String name = task == null ? "execution " + executionId : task.name();
    if (state == ExecutionState.FAILED) {
      LOG.warn("{} of job {} ({}) failed", name, jobId, executionId, cause);
    } else {
      LOG.info("{} of job {} ({}) is {}", name, jobId, executionId, state);
    }
    if (REPORTED.contains(state)) {
      TaskIoCounters finalMetrics =
          TERMINAL.contains(state) && task != null ? task.handle().metrics() : null;
      reporter.report(jobId, executionId, state, cause, finalMetrics);
    }
    if (TERMINAL.contains(state) && task != null) {
      taskEnded(executionId, task);
    }
  }

  /** Forgets a task that ended, unless another task has taken its place. */
  void taskEnded(ExecutionId executionId, RunningTask task) {
    mainThread.assertRunningInMainThread();
    if (running.remove(executionId, task)) {
      cancelling.remove(executionId);
      maybeReleaseJob(task.jobId());
    }
  }

  /** Releases a job's jar and class loader once none of its slots and tasks are left here. */
  void maybeReleaseJob(JobId jobId) {
    mainThread.assertRunningInMainThread();
    if (slots.hasSlotsOf(jobId)) {
      return;
    }
    for (RunningTask task : running.values()) {
      if (task.jobId().equals(jobId)) {
        return;
      }
    }
    libraries.release(jobId);
  }
}
