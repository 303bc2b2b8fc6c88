package io.baton.taskmanager.executor;

import io.baton.common.checkpoint.CheckpointNotice;
import io.baton.common.checkpoint.CheckpointTrigger;
import io.baton.common.cluster.Acknowledgement;
import io.baton.common.ids.ExecutionId;
import io.baton.common.ids.TaskManagerId;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the JobManager's checkpoint calls (trigger, complete, aborted) to the running task they
 * name, after the RPC edge checked their fencing token. Used on the TaskExecutor's main thread
 * only.
 */
final class CheckpointCallRouter {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointCallRouter.class);

  private final TaskManagerId id;
  private final RunningTasks tasks;

  CheckpointCallRouter(TaskManagerId id, RunningTasks tasks) {
    this.id = id;
    this.tasks = tasks;
  }

  CompletableFuture<Acknowledgement> triggerCheckpoint(CheckpointTrigger trigger) {
    String what = (trigger.savepoint() ? "savepoint " : "checkpoint ") + trigger.checkpointId();
    return routeToTask(
        "TriggerCheckpoint",
        trigger.executionId(),
        what,
        task ->
            task.triggerCheckpoint(
                trigger.checkpointId(),
                trigger.timestamp(),
                trigger.checkpointDirectory(),
                trigger.savepoint()));
  }

  CompletableFuture<Acknowledgement> notifyCheckpointComplete(CheckpointNotice notice) {
    return routeToTask(
        "NotifyCheckpointComplete",
        notice.executionId(),
        "completion of checkpoint " + notice.checkpointId(),
        task -> task.notifyCheckpointComplete(notice.checkpointId()));
  }

  CompletableFuture<Acknowledgement> notifyCheckpointAborted(CheckpointNotice notice) {
    return routeToTask(
        "NotifyCheckpointAborted",
        notice.executionId(),
        "abort of checkpoint " + notice.checkpointId(),
        task -> task.notifyCheckpointAborted(notice.checkpointId()));
  }

  /** Finds the task by execution id and hands it the checkpoint call. */
  private CompletableFuture<Acknowledgement> routeToTask(
      String call, ExecutionId executionId, String what, Predicate<TaskHandle> deliver) {
    RunningTask task = tasks.get(executionId);
    if (task == null) {
      LOG.info("{} for execution {}, which is not running here", call, executionId);
      return CompletableFuture.completedFuture(
          Acknowledgement.refused(
              "execution " + executionId + " is not running on TaskManager " + id));
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
          Acknowledgement.refused(
              task.name() + " (" + executionId + ") is " + task.handle().state()));
    }
    LOG.debug("Handed the {} to {} ({})", what, task.name(), executionId);
    return CompletableFuture.completedFuture(Acknowledgement.accepted());
  }
}
