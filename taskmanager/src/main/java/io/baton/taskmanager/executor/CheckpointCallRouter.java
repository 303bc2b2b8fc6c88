package io.baton.taskmanager.executor;

import static io.baton.taskmanager.executor.Acks.failure;
import static io.baton.taskmanager.executor.Acks.ok;

import io.baton.common.ids.ExecutionId;
import io.baton.common.ids.TaskManagerId;
import io.baton.common.rpc.Ack;
import io.baton.common.rpc.CheckpointNotification;
import io.baton.common.rpc.TriggerCheckpointRequest;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the JobManager's checkpoint calls (trigger, complete, aborted) to the running task they
 * name. Used on the TaskExecutor's main thread only.
 */
final class CheckpointCallRouter {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointCallRouter.class);

  private final TaskManagerId id;
  private final JobManagerFencing fencing;
  private final RunningTasks tasks;

  CheckpointCallRouter(TaskManagerId id, JobManagerFencing fencing, RunningTasks tasks) {
    this.id = id;
    this.fencing = fencing;
    this.tasks = tasks;
  }

  CompletableFuture<Ack> triggerCheckpoint(TriggerCheckpointRequest request) {
    String what =
        (request.getIsSavepoint() ? "savepoint " : "checkpoint ") + request.getCheckpointId();
    return routeToTask(
        request.getFencingToken(),
        "TriggerCheckpoint",
        request.getExecutionId(),
        what,
        task ->
            task.triggerCheckpoint(
                request.getCheckpointId(),
                request.getTimestamp(),
                request.getCheckpointDir(),
                request.getIsSavepoint()));
  }

  CompletableFuture<Ack> notifyCheckpointComplete(CheckpointNotification request) {
    return routeToTask(
        request.getFencingToken(),
        "NotifyCheckpointComplete",
        request.getExecutionId(),
        "completion of checkpoint " + request.getCheckpointId(),
        task -> task.notifyCheckpointComplete(request.getCheckpointId()));
  }

  CompletableFuture<Ack> notifyCheckpointAborted(CheckpointNotification request) {
    return routeToTask(
        request.getFencingToken(),
        "NotifyCheckpointAborted",
        request.getExecutionId(),
        "abort of checkpoint " + request.getCheckpointId(),
        task -> task.notifyCheckpointAborted(request.getCheckpointId()));
  }

  /** Checks the fencing token, finds the task by execution id and hands it the checkpoint call. */
  private CompletableFuture<Ack> routeToTask(
      String token, String call, String execution, String what, Predicate<TaskHandle> deliver) {
    Optional<Ack> rejected = fencing.check(token, call);
    if (rejected.isPresent()) {
      return CompletableFuture.completedFuture(rejected.get());
    }
    ExecutionId executionId;
    try {
      executionId = ExecutionId.parse(execution);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(failure("rejected: " + e.getMessage()));
    }
    RunningTask task = tasks.get(executionId);
    if (task == null) {
      LOG.info("{} for execution {}, which is not running here", call, executionId);
      return CompletableFuture.completedFuture(
          failure("execution " + executionId + " is not running on TaskManager " + id));
    }
    if (!deliver.test(task.handle())) {
      LOG.info(
          "{} of job {} ({}) did not take the {}: it is {}",
          task.name(),
          task.jobId(),
          executionId,
          what,
          task.handle().state());
      return CompletableFuture.completedFuture(
          failure(task.name() + " (" + executionId + ") is " + task.handle().state()));
    }
    LOG.debug("Handed the {} to {} ({})", what, task.name(), executionId);
    return CompletableFuture.completedFuture(ok());
  }
}
