package io.baton.coordinator.scheduler;

import io.baton.common.concurrent.MainThreadExecutor;
import io.baton.common.concurrent.MainThreadExecutor.Cancellable;
import io.baton.common.deployment.CancelTaskCommand;
import io.baton.common.execution.ExecutionState;
import io.baton.common.ids.JobId;
import io.baton.coordinator.executiongraph.Execution;
import io.baton.coordinator.executiongraph.ExecutionGraph;
import io.baton.coordinator.resourcemanager.AllocatedSlot;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cancels the current attempt's tasks on their TaskManagers and, when some do not report back
 * within the cancellation timeout, considers them canceled so the job can move on. Main thread
 * only.
 */
final class TaskCancellation {
  // one log category for everything the scheduler of a job does
  private static final Logger LOG = LoggerFactory.getLogger(JobScheduler.class);

  private final JobId jobId;
  private final ExecutionGraph executionGraph;
  private final MainThreadExecutor mainThread;
  private final Clock clock;
  private final Duration cancelTimeout;
  private final JobScheduler scheduler;

  private Cancellable cancelTimer = Cancellable.NONE;

  /**
   * @param scheduler checks whether the job can move on once the timeout forced the remaining tasks
   *     to CANCELED
   */
  TaskCancellation(
      JobId jobId,
      ExecutionGraph executionGraph,
      MainThreadExecutor mainThread,
      Clock clock,
      Duration cancelTimeout,
      JobScheduler scheduler) {
    this.jobId = jobId;
    this.executionGraph = executionGraph;
    this.mainThread = mainThread;
    this.clock = clock;
    this.cancelTimeout = cancelTimeout;
    this.scheduler = scheduler;
  }

  /** Cancels every task of the current attempt that is not terminal yet. */
  void cancelAllTasks() {
    mainThread.assertRunningInMainThread();
    long now = clock.millis();
    for (Execution e : executionGraph.currentExecutions()) {
      switch (e.state()) {
        case CREATED, SCHEDULED -> e.transitionTo(ExecutionState.CANCELED, now);
        case DEPLOYING, RUNNING -> {
          e.transitionTo(ExecutionState.CANCELING, now);
          // a task still being submitted is cancelled once its TaskManager acknowledged it
          if (e.submitAcknowledged()) {
            sendCancel(e);
          }
        }
        default -> {}
      }
    }
  }

  /** Asks the task's TaskManager to cancel it; the outcome arrives as a task state update. */
  void sendCancel(Execution e) {
    mainThread.assertRunningInMainThread();
    AllocatedSlot slot = e.slot();
    CancelTaskCommand request = new CancelTaskCommand(jobId, e.id());
    slot.gateway()
        .cancelTask(request)
        .whenComplete(
            (ack, error) -> {
              if (error != null || !ack.ok()) {
                LOG.info(
                    "Cancelling {} of job {} on TaskManager {}: {}",
                    e,
                    jobId,
                    slot.taskManagerId(),
                    error != null ? String.valueOf(error) : ack.error());
              }
            });
  }

  /** (Re)starts the cancellation timeout. */
  void armTimeout() {
    mainThread.assertRunningInMainThread();
    cancelTimer.cancel();
    cancelTimer = mainThread.schedule(this::onTimeout, cancelTimeout);
  }

  void disarmTimeout() {
    mainThread.assertRunningInMainThread();
    cancelTimer.cancel();
  }

  private void onTimeout() {
    mainThread.assertRunningInMainThread();
    long now = clock.millis();
    for (Execution e : executionGraph.currentExecutions()) {
      if (!e.isTerminal()) {
        LOG.warn(
            "{} of job {} did not stop within {} ms; considering it canceled",
            e,
            jobId,
            cancelTimeout.toMillis());
        e.transitionTo(ExecutionState.CANCELED, now);
      }
    }
    scheduler.checkAllTerminal();
  }
}
