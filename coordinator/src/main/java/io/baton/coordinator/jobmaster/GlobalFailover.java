package io.baton.coordinator.jobmaster;

import io.baton.common.concurrent.MainThreadExecutor;
import io.baton.common.concurrent.MainThreadExecutor.Cancellable;
import io.baton.common.ids.JobId;
import io.baton.common.ids.TaskManagerId;
import io.baton.coordinator.checkpoint.CheckpointCoordinator;
import io.baton.coordinator.checkpoint.RestorePoint;
import io.baton.coordinator.executiongraph.Execution;
import io.baton.coordinator.executiongraph.ExecutionGraph;
import io.baton.coordinator.failover.FailureCauses;
import io.baton.coordinator.failover.RestartStrategy;
import io.baton.coordinator.metrics.JobMetricGroup;
import io.baton.coordinator.status.JobStatus;
import io.baton.ha.LeadershipLostException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Global failover: a failed task or a lost TaskManager cancels every task of the attempt; once all
 * are terminal the job restarts after the restart strategy's backoff from the latest completed
 * checkpoint, or fails with the first failure's cause when no restart is left. Also ends a
 * cancelling job once its tasks stopped. Main thread only.
 */
final class GlobalFailover {
  // one log category for everything a job master does
  private static final Logger LOG = LoggerFactory.getLogger(JobMaster.class);

  private final JobId jobId;
  private final String jobName;
  private final JobStatusTracker status;
  private final RestartStrategy restartStrategy;
  private final ExecutionGraph executionGraph;
  private final CheckpointCoordinator checkpoints;
  private final Optional<RestorePoint> initialRestore;
  private final JobSlots slots;
  private final TaskCancellation cancellation;
  private final AttemptDeployment deployment;
  private final MainThreadExecutor mainThread;
  private final Clock clock;
  private final JobMetricGroup jobMetrics;
  private final Consumer<JobStatus> end;

  private Cancellable restartTimer = Cancellable.NONE;
  private boolean restartScheduled;
  private int restarts;
  private String failureCause;

  /**
   * @param initialRestore where the job started; a restart without a completed checkpoint starts
   *     there again
   * @param end ends the job in the given terminal status
   */
  GlobalFailover(
      JobId jobId,
      String jobName,
      JobStatusTracker status,
      RestartStrategy restartStrategy,
      ExecutionGraph executionGraph,
      CheckpointCoordinator checkpoints,
      Optional<RestorePoint> initialRestore,
      JobSlots slots,
      TaskCancellation cancellation,
      AttemptDeployment deployment,
      MainThreadExecutor mainThread,
      Clock clock,
      JobMetricGroup jobMetrics,
      Consumer<JobStatus> end) {
    this.jobId = jobId;
    this.jobName = jobName;
    this.status = status;
    this.restartStrategy = restartStrategy;
    this.executionGraph = executionGraph;
    this.checkpoints = checkpoints;
    this.initialRestore = initialRestore;
    this.slots = slots;
    this.cancellation = cancellation;
    this.deployment = deployment;
    this.mainThread = mainThread;
    this.clock = clock;
    this.jobMetrics = jobMetrics;
    this.end = end;
  }

  int restarts() {
    return restarts;
  }

  /** The cause of the last global failure; null if there was none. */
  String failureCause() {
    return failureCause;
  }

  /** Fails the running job over; otherwise only checks whether the job can move on. */
  void handleGlobalFailure(String cause) {
    mainThread.assertRunningInMainThread();
    if (!status.is(JobStatus.RUNNING)) {
      checkAllTerminal();
      return;
    }
    failureCause = cause;
    restartStrategy.notifyFailure();
    boolean restart = restartStrategy.canRestart();
    LOG.warn(
        "Job {} ({}) failed: {}; {}",
        jobName,
        jobId,
        FailureCauses.oneLine(cause),
        restart
            ? "cancelling all tasks, then restarting (" + restartStrategy.describe() + ")"
            : "no restart left ("
                + restartStrategy.describe()
                + "): cancelling all tasks, then"
                + " failing the job");
    if (cause.indexOf('\n') >= 0) {
      // users see the line above; the frames are for whoever reads this log
      LOG.info("Job {} ({}) failure in full: {}", jobName, jobId, cause);
    }
    status.transition(restart ? JobStatus.RESTARTING : JobStatus.FAILING);
    checkpoints.abortPending("job " + jobId + " failed over");
    slots.withdrawRequest();
    cancellation.cancelAllTasks();
    cancellation.armTimeout();
    checkAllTerminal();
  }

  /**
   * Fails the running job for good, whatever restarts its strategy has left: restarting would do
   * harm (it cannot resume without replaying committed output). Its tasks are cancelled, and the
   * job ends FAILED with {@code cause}.
   */
  void failWithoutRestart(String cause) {
    mainThread.assertRunningInMainThread();
    if (!status.is(JobStatus.RUNNING)) {
      checkAllTerminal();
      return;
    }
    failureCause = cause;
    LOG.error("Job {} ({}) fails without a restart: {}", jobName, jobId, cause);
    status.transition(JobStatus.FAILING);
    checkpoints.abortPending("job " + jobId + " fails");
    slots.withdrawRequest();
    cancellation.cancelAllTasks();
    cancellation.armTimeout();
    checkAllTerminal();
  }

  /** Fails the tasks on a lost TaskManager, and with them the job. */
  void taskManagerLost(TaskManagerId taskManagerId, Exception cause) {
    mainThread.assertRunningInMainThread();
    if (status.status().isGloballyTerminal() || status.is(JobStatus.SUSPENDED)) {
      return;
    }
    slots.forgetSlotsOn(taskManagerId);
    String causeText = FailureCauses.describe(cause);
    long now = clock.millis();
    boolean tasksLost = false;
    for (Execution e : executionGraph.currentExecutions()) {
      if (!e.isTerminal() && e.slot() != null && e.slot().taskManagerId().equals(taskManagerId)) {
        e.markFailed(causeText, now);
        tasksLost = true;
      }
    }
    if (tasksLost) {
      handleGlobalFailure(causeText);
    }
    // without tasks there the loss only leaves a slot to ask for again before deploying
  }

  /** Once every task is terminal: restart after the backoff, or end the job. */
  void checkAllTerminal() {
    mainThread.assertRunningInMainThread();
    if (!executionGraph.allTerminal()) {
      return;
    }
    switch (status.status()) {
      case RESTARTING -> {
        if (!restartScheduled) {
          cancellation.disarmTimeout();
          Duration backoff = restartStrategy.backoff();
          LOG.info(
              "All tasks of job {} ({}) stopped; restarting in {} ms",
              jobName,
              jobId,
              backoff.toMillis());
          restartScheduled = true;
          restartTimer = mainThread.schedule(this::restart, backoff);
        }
      }
      case FAILING -> end.accept(JobStatus.FAILED);
      case CANCELLING -> end.accept(JobStatus.CANCELED);
      default -> {}
    }
  }

  /** Drops a scheduled restart: the job is cancelled or ends. */
  void cancelRestart() {
    mainThread.assertRunningInMainThread();
    restartTimer.cancel();
    restartScheduled = false;
  }

  private void restart() {
    mainThread.assertRunningInMainThread();
    restartScheduled = false;
    if (!status.is(JobStatus.RESTARTING)) {
      return;
    }
    restarts++;
    jobMetrics.setRestarts(restarts);
    executionGraph.newAttempt(clock.millis());
    LOG.info(
        "Restarting job {} ({}): attempt {}, restart {}",
        jobName,
        jobId,
        executionGraph.attempt(),
        restarts);
    status.transition(JobStatus.RUNNING);
    int attempt = executionGraph.attempt();
    checkpoints
        .selectRestorePoint(initialRestore)
        .whenCompleteAsync(
            (decision, error) -> {
              if (!status.is(JobStatus.RUNNING) || executionGraph.attempt() != attempt) {
                return; // failed or cancelled while the checkpoint was being chosen
              }
              if (error != null) {
                handleGlobalFailure(
                    FailureCauses.describe(
                        new IllegalStateException(
                            "could not choose a checkpoint to restore from", error)));
                return;
              }
              if (decision.refused()) {
                failWithoutRestart(decision.refusal().get());
                return;
              }
              // without a completed checkpoint: where the job started (a savepoint, or nothing)
              RestorePoint restorePoint = decision.point().orElse(null);
              if (restorePoint != null) {
                try {
                  checkpoints.restoring(restorePoint);
                } catch (UncheckedIOException e) {
                  if (e.getCause() instanceof LeadershipLostException) {
                    // another JobManager leads now: it resumes the job; every task stopped already
                    LOG.warn(
                        "Not restarting job {} ({}): this JobManager no longer leads",
                        jobName,
                        jobId);
                    end.accept(JobStatus.SUSPENDED);
                  } else {
                    handleGlobalFailure(FailureCauses.describe(e));
                  }
                  return;
                }
              }
              deployment.restoreFrom(restorePoint);
              deployment.scheduleCurrentAttempt();
            },
            mainThread);
  }
}
