package io.baton.coordinator.scheduler;

import io.baton.common.cluster.Acknowledgement;
import io.baton.common.concurrent.MainThreadExecutor;
import io.baton.common.execution.ExecutionState;
import io.baton.common.execution.ExecutionStateUpdate;
import io.baton.common.ids.JobId;
import io.baton.coordinator.checkpoint.CheckpointCoordinator;
import io.baton.coordinator.executiongraph.Execution;
import io.baton.coordinator.executiongraph.ExecutionGraph;
import io.baton.coordinator.failover.FailureCauses;
import io.baton.coordinator.status.JobStatus;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the task states the TaskManagers report (RUNNING, FINISHED, CANCELED, FAILED) to the
 * current attempt: finishes the job once every task finished and fails it over when a task failed
 * or was canceled unasked. Main thread only.
 */
final class TaskStateUpdates {
  // one log category for everything the scheduler of a job does
  private static final Logger LOG = LoggerFactory.getLogger(JobScheduler.class);

  private final JobId jobId;
  private final JobStatusTracker status;
  private final ExecutionGraph executionGraph;
  private final CheckpointCoordinator checkpoints;
  private final MainThreadExecutor mainThread;
  private final Clock clock;
  private final JobScheduler scheduler;

  /**
   * @param scheduler checks whether the job can move on when a task became terminal, fails the job
   *     over when a task failed or was canceled unasked, and ends it once the last task of a
   *     running job finished
   */
  TaskStateUpdates(
      JobId jobId,
      JobStatusTracker status,
      ExecutionGraph executionGraph,
      CheckpointCoordinator checkpoints,
      MainThreadExecutor mainThread,
      Clock clock,
      JobScheduler scheduler) {
    this.jobId = jobId;
    this.status = status;
    this.executionGraph = executionGraph;
    this.checkpoints = checkpoints;
    this.mainThread = mainThread;
    this.clock = clock;
    this.scheduler = scheduler;
  }

  /** Applies one report; a report about no current task is refused. */
  Acknowledgement apply(ExecutionStateUpdate update) {
    mainThread.assertRunningInMainThread();
    Execution e = executionGraph.current(update.executionId());
    if (e == null) {
      LOG.debug(
          "Ignoring state {} of execution {} of job {}: not a current attempt",
          update.state(),
          update.executionId(),
          jobId);
      return nack("execution " + update.executionId() + " is not a current task of job " + jobId);
    }
    update.finalMetrics().ifPresent(e::updateMetrics);
    long now = clock.millis();
    ExecutionState before = e.state();
    switch (update.state()) {
      case RUNNING -> {
        if (before == ExecutionState.DEPLOYING) {
          e.transitionTo(ExecutionState.RUNNING, now);
          LOG.info("{} of job {} is RUNNING on TaskManager {}", e, jobId, e.slot().taskManagerId());
        }
      }
      case FINISHED -> {
        if (e.transitionTo(ExecutionState.FINISHED, now)) {
          LOG.info("{} of job {} FINISHED", e, jobId);
          checkpoints.executionFinished(e.id());
        }
        if (status.is(JobStatus.RUNNING) && executionGraph.allFinished()) {
          scheduler.end(JobStatus.FINISHED);
        } else {
          scheduler.checkAllTerminal();
        }
      }
      case CANCELED -> {
        e.transitionTo(ExecutionState.CANCELED, now);
        if (status.is(JobStatus.RUNNING)
            && before != ExecutionState.CANCELING
            && before != ExecutionState.CANCELED) {
          scheduler.handleGlobalFailure(
              FailureCauses.describe(
                  new IllegalStateException(
                      e + " was canceled on TaskManager " + update.taskManagerId() + " unasked")));
        } else {
          scheduler.checkAllTerminal();
        }
      }
      case FAILED -> {
        String cause =
            update.failureCause().isBlank()
                ? "java.lang.Exception: " + e + " failed without a cause"
                : update.failureCause();
        boolean changed = !e.isTerminal();
        e.markFailed(cause, now);
        if (changed) {
          LOG.warn(
              "{} of job {} FAILED on TaskManager {}: {}",
              e,
              jobId,
              update.taskManagerId(),
              FailureCauses.oneLine(cause));
        }
        if (status.is(JobStatus.RUNNING) && changed) {
          scheduler.handleGlobalFailure(cause);
        } else {
          scheduler.checkAllTerminal();
        }
      }
      default -> {
        return nack("a TaskManager cannot report state " + update.state());
      }
    }
    if (e.state() != before) {
      status.modified(now);
    }
    return Acknowledgement.accepted();
  }

  private static Acknowledgement nack(String error) {
    return Acknowledgement.refused(error);
  }
}
