package io.baton.coordinator.jobmaster;

import io.baton.api.graph.JobGraph;
import io.baton.common.checkpoint.CheckpointAcknowledgement;
import io.baton.common.checkpoint.CheckpointDeclined;
import io.baton.common.cluster.Acknowledgement;
import io.baton.common.concurrent.MainThreadExecutor;
import io.baton.common.execution.ExecutionStateUpdate;
import io.baton.common.execution.TaskIoCounters;
import io.baton.common.ids.JobId;
import io.baton.common.ids.TaskManagerId;
import io.baton.coordinator.checkpoint.CheckpointCoordinator;
import io.baton.coordinator.checkpoint.CheckpointServices;
import io.baton.coordinator.checkpoint.CheckpointSettings;
import io.baton.coordinator.checkpoint.CheckpointStats;
import io.baton.coordinator.checkpoint.RestorePoint;
import io.baton.coordinator.executiongraph.ExecutionGraph;
import io.baton.coordinator.executiongraph.TaskDeploymentFactory;
import io.baton.coordinator.failover.FailureCauses;
import io.baton.coordinator.failover.RestartStrategy;
import io.baton.coordinator.metrics.JobManagerMetrics;
import io.baton.coordinator.metrics.JobMetricGroup;
import io.baton.coordinator.resourcemanager.ResourceManagerGateway;
import io.baton.coordinator.resourcemanager.SlotOwner;
import io.baton.coordinator.status.JobDetails;
import io.baton.coordinator.status.JobStatus;
import io.baton.ha.JobResult;
import io.baton.ha.LeadershipLostException;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one job on its own main thread: requests the job's slots, deploys all tasks at once
 * (streaming jobs schedule eagerly), follows their states and handles failures by global failover
 * under the job's restart strategy.
 *
 * <p>Job states: CREATED → RUNNING → FINISHED once every task finished. A failed task or a lost
 * TaskManager moves the job to RESTARTING (the strategy allows another attempt) or FAILING; every
 * other task is cancelled, and once all are terminal (or the cancellation timeout passed) the job
 * restarts after the strategy's backoff with new executions, or ends FAILED with the first
 * failure's cause. Cancelling moves it through CANCELLING to CANCELED. Its slots are freed when it
 * ends.
 *
 * <p>The work is split over parts that all run on this job master's main thread: {@link JobSlots}
 * (the job's slots), {@link AttemptDeployment} (submitting an attempt's tasks), {@link
 * TaskCancellation}, {@link GlobalFailover} (failing over, restarting, ending), {@link
 * TaskStateUpdates} and {@link TaskMetricsReports} (what the TaskManagers report), and {@link
 * JobStatusTracker} (the job's status and its times).
 */
public final class JobMaster implements SlotOwner {
  private static final Logger LOG = LoggerFactory.getLogger(JobMaster.class);

  private final JobId jobId;
  private final JobGraph jobGraph;
  private final RestartStrategy restartStrategy;
  private final ResourceManagerGateway resourceManager;
  private final MainThreadExecutor mainThread;
  private final Clock clock;
  private final JobMetricGroup jobMetrics;
  private final JobManagerMetrics metricsOfJobs;
  private final ExecutionGraph executionGraph;
  private final JobDetailsBuilder detailsBuilder;
  private final CheckpointCoordinator checkpoints;
  private final Optional<RestorePoint> initialRestore;
  private final CheckpointServices checkpointServices;
  private final CompletableFuture<JobDetails> termination = new CompletableFuture<>();
  private final int recoveries;
  // main thread only: what the latest recovery restored from
  private JobDetails.RestoredFrom restoredFrom;

  // the parts below hold the job's state; all of them run on the main thread only
  private final JobStatusTracker status;
  private final JobSlots slots;
  private final TaskCancellation cancellation;
  private final AttemptDeployment deployment;
  private final GlobalFailover failover;
  private final TaskStateUpdates taskStates;
  private final TaskMetricsReports taskMetrics;

  /**
   * A job master without checkpoints: in-memory stores, no checkpoint directory.
   *
   * @throws IllegalArgumentException when the job's operators cannot be serialized for deployment
   */
  public JobMaster(
      JobId jobId,
      JobSubmission submission,
      RestartStrategy restartStrategy,
      ResourceManagerGateway resourceManager,
      MainThreadExecutor mainThread,
      Clock clock,
      Duration cancelTimeout,
      JobManagerMetrics metrics) {
    this(
        jobId,
        submission,
        restartStrategy,
        resourceManager,
        mainThread,
        clock,
        cancelTimeout,
        metrics,
        CheckpointServices.direct(),
        CheckpointSettings.of(new io.baton.common.config.Configuration(), Map.of()),
        Optional.empty(),
        0);
  }

  /**
   * @param checkpointSettings the job's checkpoint settings (cluster and job configuration)
   * @param initialRestore the verified savepoint or retained checkpoint the job was submitted with
   * @param recoveries how many times a new leader recovered the job, this time included; above 0
   *     the job starts from its latest readable completed checkpoint (else from {@code
   *     initialRestore})
   * @throws IllegalArgumentException when the job's operators cannot be serialized for deployment
   */
  public JobMaster(
      JobId jobId,
      JobSubmission submission,
      RestartStrategy restartStrategy,
      ResourceManagerGateway resourceManager,
      MainThreadExecutor mainThread,
      Clock clock,
      Duration cancelTimeout,
      JobManagerMetrics metrics,
      CheckpointServices checkpointServices,
      CheckpointSettings checkpointSettings,
      Optional<RestorePoint> initialRestore,
      int recoveries) {
    this.recoveries = recoveries;
    this.jobId = jobId;
    this.jobGraph = submission.graph();
    this.restartStrategy = restartStrategy;
    this.resourceManager = resourceManager;
    this.mainThread = mainThread;
    this.clock = clock;
    TaskDeploymentFactory deployments =
        new TaskDeploymentFactory(jobId, jobGraph, submission.blobKey().orElse(""));
    this.jobMetrics = metrics.jobMetricGroup(jobId.toString(), jobGraph.name());
    this.metricsOfJobs = metrics;
    this.slots =
        new JobSlots(
            jobId,
            jobGraph.name(),
            jobGraph.maxVertexParallelism(),
            resourceManager,
            this,
            mainThread,
            this::handleGlobalFailure);
    this.status = new JobStatusTracker(jobId, jobGraph.name(), mainThread, clock, metrics);
    this.executionGraph = new ExecutionGraph(jobGraph, metrics::taskStateChanged);
    this.executionGraph.newAttempt(status.startTime());
    this.detailsBuilder = new JobDetailsBuilder(jobId, jobGraph);
    this.initialRestore = initialRestore;
    this.checkpointServices = checkpointServices;
    this.checkpoints =
        new CheckpointCoordinator(
            jobId,
            checkpointSettings,
            checkpointServices.files(),
            checkpointServices.highAvailability().completedCheckpointStore(jobId),
            checkpointServices.highAvailability().checkpointIdCounter(jobId),
            executionGraph,
            mainThread,
            checkpointServices.io(),
            clock,
            jobMetrics,
            this::handleGlobalFailure,
            () -> status.is(JobStatus.RUNNING));
    this.checkpoints.onLeadershipLost(this::leadershipLost);
    this.cancellation =
        new TaskCancellation(
            jobId, executionGraph, mainThread, clock, cancelTimeout, this::checkAllTerminal);
    this.deployment =
        new AttemptDeployment(
            jobId,
            jobGraph.name(),
            executionGraph,
            deployments,
            slots,
            cancellation,
            mainThread,
            clock,
            this::checkAllTerminal,
            this::handleGlobalFailure);
    this.failover =
        new GlobalFailover(
            jobId,
            jobGraph.name(),
            status,
            restartStrategy,
            executionGraph,
            checkpoints,
            initialRestore,
            slots,
            cancellation,
            deployment,
            mainThread,
            clock,
            jobMetrics,
            this::end);
    this.taskStates =
        new TaskStateUpdates(
            jobId,
            status,
            executionGraph,
            checkpoints,
            mainThread,
            clock,
            this::checkAllTerminal,
            this::handleGlobalFailure,
            () -> end(JobStatus.FINISHED));
    this.taskMetrics = new TaskMetricsReports(executionGraph, jobMetrics, mainThread);
    status.announce();
  }

  public JobId jobId() {
    return jobId;
  }

  /** Starts scheduling. */
  public void start() {
    mainThread.execute(
        () -> {
          LOG.info(
              "Starting job {} ({}): {} tasks in {} slots, restart strategy {}",
              jobGraph.name(),
              jobId,
              jobGraph.numberOfSubtasks(),
              slots.size(),
              restartStrategy.describe());
          status.transition(JobStatus.RUNNING);
          if (recoveries > 0) {
            recover();
            return;
          }
          initialRestore.ifPresent(
              point -> {
                deployment.restoreFrom(point);
                checkpoints.restoring(point);
              });
          checkpoints.startPeriodic();
          deployment.scheduleCurrentAttempt();
        });
  }

  /**
   * A new leader took the job over: it starts from its latest readable completed checkpoint (the
   * counter moved past it), or where it was submitted to start when it never completed one; when it
   * did but none is readable it FAILS, so nothing is replayed into committed output.
   */
  private void recover() {
    mainThread.assertRunningInMainThread();
    checkpoints.adoptStoredHistory();
    checkpoints
        .selectRestorePoint(initialRestore)
        .whenCompleteAsync(
            (decision, error) -> {
              if (!status.is(JobStatus.RUNNING)) {
                return; // suspended or cancelled meanwhile
              }
              if (error != null) {
                handleGlobalFailure(
                    FailureCauses.describe(
                        new IllegalStateException(
                            "could not choose a checkpoint to recover from", error)));
                return;
              }
              if (decision.refused()) {
                failover.failWithoutRestart(decision.refusal().get());
                return;
              }
              RestorePoint point = decision.point().orElse(null);
              if (point != null) {
                try {
                  checkpoints.restoring(point);
                } catch (java.io.UncheckedIOException e) {
                  if (e.getCause() instanceof LeadershipLostException) {
                    leadershipLost(e.getCause().getMessage());
                  } else {
                    handleGlobalFailure(FailureCauses.describe(e));
                  }
                  return;
                }
                deployment.restoreFrom(point);
                restoredFrom =
                    new JobDetails.RestoredFrom(point.metadata().checkpointId(), point.path());
              }
              LOG.info(
                  "Recovered job {} ({}), recovery {}, {}",
                  jobGraph.name(),
                  jobId,
                  recoveries,
                  point == null
                      ? "from the beginning: it has no completed checkpoint"
                      : "from " + point.path());
              checkpoints.startPeriodic();
              deployment.scheduleCurrentAttempt();
            },
            mainThread);
  }

  /** A store write was refused: another JobManager leads now. Main thread. */
  private void leadershipLost(String reason) {
    mainThread.assertRunningInMainThread();
    if (!status.status().isGloballyTerminal() && !status.is(JobStatus.SUSPENDED)) {
      LOG.warn(
          "Suspending job {} ({}): this JobManager no longer leads ({})",
          jobGraph.name(),
          jobId,
          reason);
      cancellation.cancelAllTasks();
      end(JobStatus.SUSPENDED);
    }
  }

  /**
   * Gives up a job master that was never started (its submission was refused): stops its thread and
   * forgets its metrics.
   */
  public void discard() {
    mainThread.shutdown(Duration.ZERO);
    jobMetrics.close();
    metricsOfJobs.jobStatusChanged(JobStatus.CREATED, null);
  }

  /** Completes with the job's final details when it reached a terminal state (or was suspended). */
  public CompletableFuture<JobDetails> terminationFuture() {
    return termination;
  }

  public CompletableFuture<JobDetails> requestDetails() {
    return mainThread.call(this::details);
  }

  /** Starts cancelling the job; completes once cancellation began. */
  public CompletableFuture<Void> cancel() {
    return mainThread.call(
        () -> {
          if (status.status().isGloballyTerminal()
              || status.is(JobStatus.CANCELLING)
              || status.is(JobStatus.SUSPENDED)) {
            return null;
          }
          LOG.info("Cancelling job {} ({})", jobGraph.name(), jobId);
          status.transition(JobStatus.CANCELLING);
          checkpoints.abortPending("job " + jobId + " is cancelling");
          failover.cancelRestart();
          slots.withdrawRequest();
          cancellation.cancelAllTasks();
          cancellation.armTimeout();
          checkAllTerminal();
          return null;
        });
  }

  /**
   * Stops the job because the JobManager shuts down: cancels its tasks without waiting, frees its
   * slots and ends it SUSPENDED.
   */
  public CompletableFuture<Void> suspend(String reason) {
    return mainThread.call(
        () -> {
          if (!status.status().isGloballyTerminal() && !status.is(JobStatus.SUSPENDED)) {
            LOG.info("Suspending job {} ({}): {}", jobGraph.name(), jobId, reason);
            cancellation.cancelAllTasks();
            end(JobStatus.SUSPENDED);
          }
          return null;
        });
  }

  /** A TaskManager reports a task's new state. */
  public CompletableFuture<Acknowledgement> updateTaskState(ExecutionStateUpdate update) {
    return mainThread.call(() -> taskStates.apply(update));
  }

  // ---------------------------------------------------------------- job lifecycle

  private void handleGlobalFailure(String cause) {
    mainThread.assertRunningInMainThread();
    failover.handleGlobalFailure(cause);
  }

  private void checkAllTerminal() {
    mainThread.assertRunningInMainThread();
    failover.checkAllTerminal();
  }

  private void end(JobStatus terminal) {
    mainThread.assertRunningInMainThread();
    if (terminal.isGloballyTerminal()) {
      ResultRecording recording = recordResult(terminal);
      if (recording == ResultRecording.LEADERSHIP_LOST) {
        end(JobStatus.SUSPENDED);
        return;
      }
      if (recording == ResultRecording.RECORDED) {
        // the order matters: a leader that dies between two steps leaves a result, so the next
        // one finishes the clean-up instead of running the job again
        checkpoints.shutdown(terminal);
        // nothing resumes this job any more; a retained checkpoint is resumed with run -s
        checkpointServices.highAvailability().releaseJob(jobId);
        removeJobGraph();
      } else {
        // without a result the job stays in the job graph store with its checkpoints, so a later
        // leader resumes it rather than losing it
        checkpoints.shutdown(JobStatus.SUSPENDED);
      }
    } else {
      checkpoints.shutdown(terminal);
    }
    failover.cancelRestart();
    cancellation.disarmTimeout();
    slots.withdrawRequest();
    status.transition(terminal);
    status.ended();
    slots.forgetAll();
    resourceManager.releaseJob(jobId);
    JobDetails finalDetails = details();
    executionGraph.retireAll();
    if (terminal == JobStatus.FAILED) {
      LOG.warn(
          "Job {} ({}) FAILED after {} restarts: {}",
          jobGraph.name(),
          jobId,
          failover.restarts(),
          FailureCauses.oneLine(failover.failureCause()));
    } else {
      LOG.info("Job {} ({}) is {}", jobGraph.name(), jobId, terminal);
    }
    termination.complete(finalDetails);
  }

  private enum ResultRecording {
    RECORDED,
    NOT_RECORDED,
    LEADERSHIP_LOST
  }

  /** Step 1 of a terminal state: the result, so no later leader runs the job again. */
  private ResultRecording recordResult(JobStatus terminal) {
    JobResult result =
        new JobResult(
            jobId,
            jobGraph.name(),
            terminal.name(),
            status.startTime(),
            clock.millis(),
            terminal == JobStatus.FAILED
                ? Optional.ofNullable(failover.failureCause()).map(FailureCauses::oneLine)
                : Optional.empty());
    try {
      checkpointServices.highAvailability().jobResultStore().put(result);
      return ResultRecording.RECORDED;
    } catch (LeadershipLostException e) {
      LOG.warn(
          "Job {} ({}) reached {} but this JobManager no longer leads: suspending it instead ({})",
          jobGraph.name(),
          jobId,
          terminal,
          e.getMessage());
      return ResultRecording.LEADERSHIP_LOST;
    } catch (IOException e) {
      LOG.warn(
          "Job {} ({}) is {} but its result could not be recorded; keeping its job graph and"
              + " checkpoints for the next leader: {}",
          jobGraph.name(),
          jobId,
          terminal,
          e.getMessage());
      return ResultRecording.NOT_RECORDED;
    }
  }

  /** The last step of a terminal state: the job leaves the job graph store. */
  private void removeJobGraph() {
    try {
      checkpointServices.highAvailability().jobGraphStore().remove(jobId);
    } catch (IOException e) {
      LOG.warn(
          "Job {} ({}) ended but its job graph stays stored; the next leader removes it: {}",
          jobGraph.name(),
          jobId,
          e.getMessage());
    }
  }

  // ---------------------------------------------------------------- resource manager news

  @Override
  public void taskManagerLost(TaskManagerId taskManagerId, Exception cause) {
    mainThread.tell(() -> failover.taskManagerLost(taskManagerId, cause));
  }

  @Override
  public void taskMetricsReported(TaskManagerId taskManagerId, List<TaskIoCounters> reported) {
    mainThread.tell(() -> taskMetrics.apply(reported));
  }

  // ---------------------------------------------------------------- checkpoints

  /** A task acknowledged a checkpoint. */
  public CompletableFuture<Acknowledgement> acknowledgeCheckpoint(CheckpointAcknowledgement ack) {
    return mainThread.call(() -> checkpoints.receiveAcknowledge(ack));
  }

  /** A task declined a checkpoint. */
  public CompletableFuture<Acknowledgement> declineCheckpoint(CheckpointDeclined decline) {
    return mainThread.call(() -> checkpoints.receiveDecline(decline));
  }

  /**
   * Takes a savepoint; completes with its path once it completed (and, with {@code cancelJob}, once
   * cancellation began).
   *
   * @param targetDirectory empty: {@code state.savepoints.dir}
   */
  public CompletableFuture<String> triggerSavepoint(
      Optional<URI> targetDirectory, boolean cancelJob) {
    return mainThread
        .compose(() -> checkpoints.triggerSavepoint(targetDirectory))
        .thenCompose(path -> cancelJob ? cancel().thenApply(ignored -> path) : completed(path));
  }

  private static CompletableFuture<String> completed(String path) {
    return CompletableFuture.completedFuture(path);
  }

  public CompletableFuture<CheckpointStats> requestCheckpointStats() {
    return mainThread.call(checkpoints::stats);
  }

  // ---------------------------------------------------------------- details

  private JobDetails details() {
    mainThread.assertRunningInMainThread();
    return detailsBuilder
        .build(
            executionGraph,
            status.status(),
            status.startTime(),
            status.endTime(),
            clock.millis(),
            failover.failureCause(),
            failover.restarts(),
            status.lastModification())
        .withRecoveries(recoveries, restoredFrom);
  }

  /** Stops the main thread; call once the job ended. */
  public void shutdown(Duration timeout) {
    mainThread.shutdown(timeout);
  }

  /** Stops exporting the job's series (restarts, records); call when the job is forgotten. */
  public void removeMetrics() {
    jobMetrics.close();
  }
}
