package io.baton.coordinator.scheduler;

import io.baton.common.concurrent.MainThreadExecutor;
import io.baton.common.concurrent.MainThreadExecutor.Cancellable;
import io.baton.coordinator.checkpoint.CheckpointCoordinator;
import io.baton.coordinator.checkpoint.RestorePoint;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restarts a failed-over job once all its tasks stopped: after the restart strategy's backoff, a
 * new attempt deployed from the restore point the checkpoints choose (the latest completed
 * checkpoint, else where the job started). Counts the restarts. Main thread only.
 */
final class JobRestart {
  // one log category for everything the scheduler of a job does
  private static final Logger LOG = LoggerFactory.getLogger(JobScheduler.class);

  private final RestartStrategy restartStrategy;
  private final Optional<RestorePoint> initialRestore;
  private final JobStatusTracker status;
  private final ExecutionGraph executionGraph;
  private final CheckpointCoordinator checkpoints;
  private final AttemptDeployment deployment;
  private final JobMetricGroup jobMetrics;
  private final MainThreadExecutor mainThread;
  private final Clock clock;
  private final JobScheduler scheduler;

  private Cancellable restartTimer = Cancellable.NONE;
  private boolean restartScheduled;
  private int restarts;

  /**
   * @param initialRestore where the job started, restored when no checkpoint completed since
   * @param scheduler fails the job over again, fails it for good or ends it SUSPENDED when the
   *     restart cannot go ahead
   */
  JobRestart(
      RestartStrategy restartStrategy,
      Optional<RestorePoint> initialRestore,
      JobStatusTracker status,
      ExecutionGraph executionGraph,
      CheckpointCoordinator checkpoints,
      AttemptDeployment deployment,
      JobMetricGroup jobMetrics,
      MainThreadExecutor mainThread,
      Clock clock,
      JobScheduler scheduler) {
    this.restartStrategy = restartStrategy;
    this.initialRestore = initialRestore;
    this.status = status;
    this.executionGraph = executionGraph;
    this.checkpoints = checkpoints;
    this.deployment = deployment;
    this.jobMetrics = jobMetrics;
    this.mainThread = mainThread;
    this.clock = clock;
    this.scheduler = scheduler;
  }

  /** Whether a restart waits for its backoff. */
  boolean isScheduled() {
    return restartScheduled;
  }

  /** How often the job restarted so far. */
  int restarts() {
    return restarts;
  }

  /** Restarts the job once the restart strategy's backoff passed. */
  void scheduleAfterBackoff() {
    mainThread.assertRunningInMainThread();
    Duration backoff = restartStrategy.backoff();
    LOG.info(
        "All tasks of job {} ({}) stopped; restarting in {} ms",
        scheduler.jobName(),
        scheduler.jobId(),
        backoff.toMillis());
    restartScheduled = true;
    restartTimer = mainThread.schedule(this::restart, backoff);
  }

  /** Drops a scheduled restart: the job is cancelled or ends. */
  void cancel() {
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
        scheduler.jobName(),
        scheduler.jobId(),
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
                scheduler.handleGlobalFailure(
                    FailureCauses.describe(
                        new IllegalStateException(
                            "could not choose a checkpoint to restore from", error)));
                return;
              }
              if (decision.refused()) {
                scheduler.failWithoutRestart(decision.refusal().get());
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
                        scheduler.jobName(),
                        scheduler.jobId());
                    scheduler.end(JobStatus.SUSPENDED);
                  } else {
                    scheduler.handleGlobalFailure(FailureCauses.describe(e));
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
