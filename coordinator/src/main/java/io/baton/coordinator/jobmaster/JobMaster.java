package io.baton.coordinator.jobmaster;

import io.baton.api.graph.JobGraph;
import io.baton.common.checkpoint.CheckpointAcknowledgement;
import io.baton.common.checkpoint.CheckpointDeclined;
import io.baton.common.checkpoint.EndOfData;
import io.baton.common.cluster.Acknowledgement;
import io.baton.common.concurrent.MainThreadExecutor;
import io.baton.common.config.Configuration;
import io.baton.common.execution.ExecutionStateUpdate;
import io.baton.common.ids.JobId;
import io.baton.coordinator.checkpoint.CheckpointCoordinator;
import io.baton.coordinator.checkpoint.CheckpointServices;
import io.baton.coordinator.checkpoint.CheckpointSettings;
import io.baton.coordinator.checkpoint.CheckpointStats;
import io.baton.coordinator.checkpoint.RestorePoint;
import io.baton.coordinator.failover.FailureCauses;
import io.baton.coordinator.failover.RestartStrategy;
import io.baton.coordinator.metrics.JobManagerMetrics;
import io.baton.coordinator.resourcemanager.ResourceManagerGateway;
import io.baton.coordinator.scheduler.JobCheckpointing;
import io.baton.coordinator.scheduler.JobScheduler;
import io.baton.coordinator.scheduler.JobTermination;
import io.baton.coordinator.scheduler.SchedulerServices;
import io.baton.coordinator.scheduler.SuspendedTasks;
import io.baton.coordinator.status.JobDetails;
import io.baton.coordinator.status.JobStatus;
import io.baton.ha.DeploymentRecord;
import io.baton.ha.JobResult;
import io.baton.ha.LeadershipLostException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job's life towards the dispatcher, on the job's own main thread: starting it (fresh, from a
 * savepoint, or recovered by a new leader from its latest readable checkpoint), cancelling,
 * suspending, its details, checkpoints and savepoints, and its end: the job's result and its
 * release from high availability through {@link JobLifecycleStores}, then its termination future.
 *
 * <p>Scheduling (slots, deployment, task states, global failover and restarts) is the {@link
 * JobScheduler}'s, the one owner of the job's execution graph; the job master delegates to it.
 */
public final class JobMaster {
  private static final Logger LOG = LoggerFactory.getLogger(JobMaster.class);

  private final JobId jobId;
  private final JobGraph jobGraph;
  private final MainThreadExecutor mainThread;
  private final Clock clock;
  private final Optional<RestorePoint> initialRestore;
  private final JobLifecycleStores lifecycleStores;
  private final JobScheduler scheduler;
  private final CheckpointCoordinator checkpoints;
  private final CompletableFuture<JobDetails> termination = new CompletableFuture<>();
  private final int recoveries;
  private final JobReconciling reconciling;
  private final RecoveredJobAdoption adoption;
  private final Executor io;
  private final DeploymentRecording deploymentRecording;
  private final CheckpointSettings checkpointSettings;
  // main thread only: what the latest recovery restored from
  private JobDetails.RestoredFrom restoredFrom;
  // main thread only: adoptions by new leaders, and this leader's reconciliation of the job
  private final JobReconciliations reconciliations = new JobReconciliations();
  // main thread only: why the recovered job was not adopted, until it restarts; null otherwise
  private String notAdoptedBecause;
  // main thread only: the stored checkpoints joining the job's history, once asked for
  private CompletableFuture<Void> storedHistory;

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
        new SchedulerServices(resourceManager, mainThread, clock, cancelTimeout, metrics),
        new JobCheckpointing(
            CheckpointServices.direct(),
            CheckpointSettings.of(new Configuration(), Map.of()),
            Optional.empty()),
        JobLifecycleStores.inMemory(),
        0,
        JobReconciling.disabled());
  }

  /**
   * @param checkpointing the job's checkpoint settings and where it was submitted to start
   * @param lifecycleStores where the job's result goes and from where it is released when it ends
   * @param recoveries how many times a new leader recovered the job, this time included; above 0
   *     the job starts from its latest readable completed checkpoint (else from where it was
   *     submitted to start)
   * @param reconciling whether a recovered job tries to adopt the tasks the previous leader
   *     deployed before restarting them
   * @throws IllegalArgumentException when the job's operators cannot be serialized for deployment
   */
  public JobMaster(
      JobId jobId,
      JobSubmission submission,
      RestartStrategy restartStrategy,
      SchedulerServices services,
      JobCheckpointing checkpointing,
      JobLifecycleStores lifecycleStores,
      int recoveries,
      JobReconciling reconciling) {
    this.recoveries = recoveries;
    this.reconciling = reconciling;
    this.io = checkpointing.services().io();
    this.checkpointSettings = checkpointing.settings();
    this.jobId = jobId;
    this.jobGraph = submission.graph();
    this.mainThread = services.mainThread();
    this.clock = services.clock();
    this.initialRestore = checkpointing.initialRestore();
    this.lifecycleStores = lifecycleStores;
    this.deploymentRecording =
        new DeploymentRecording(
            lifecycleStores,
            checkpointing.services().io(),
            mainThread,
            this::deploymentRecordRefused,
            reconciliations::count);
    this.scheduler =
        new JobScheduler(
            jobId,
            jobGraph,
            submission.blobKey().orElse(""),
            restartStrategy,
            services,
            checkpointing,
            new Termination(),
            deploymentRecording);
    this.checkpoints = scheduler.checkpoints();
    this.adoption =
        new RecoveredJobAdoption(
            jobId,
            jobGraph.name(),
            jobGraph.maxVertexParallelism(),
            mainThread,
            reconciling,
            services.resourceManager(),
            scheduler,
            this::restartInsteadOfAdopting,
            this::adopted);
  }

  public JobId jobId() {
    return jobId;
  }

  /** Another JobManager leads now: it refused the record of the attempt just deployed. */
  private void deploymentRecordRefused(String reason) {
    scheduler.leadershipLost(reason);
  }

  /** Starts the job: from where it was submitted to start, or, recovered, from a checkpoint. */
  public void start() {
    mainThread.execute(
        () -> {
          if (recoveries > 0 && reconciling.enabled()) {
            scheduler.startReconciling();
            reconcile();
            return;
          }
          scheduler.startRunning();
          if (recoveries > 0) {
            recover();
            return;
          }
          initialRestore.ifPresent(checkpoints::restoring);
          scheduler.schedule(initialRestore.orElse(null));
        });
  }

  /**
   * A new leader took the job over with jobmanager.failover.reconcile: it reads the job's
   * deployment record and waits for the recorded tasks to be reported, to adopt them; without a
   * record it recovers as without reconciliation.
   */
  private void reconcile() {
    mainThread.assertRunningInMainThread();
    storedHistory();
    CompletableFuture.supplyAsync(() -> lifecycleStores.deploymentRecord(jobId), io)
        .whenCompleteAsync(
            (record, error) -> {
              if (!scheduler.isReconciling()) {
                return; // suspended or cancelled meanwhile
              }
              if (error == null && record.isPresent()) {
                reconciliations.recordRead(record.get());
                scheduler.reconciliationsCounted(reconciliations.count());
                adoption.start(record.get());
                return;
              }
              restartInsteadOfAdopting(
                  error != null
                      ? "its deployment record cannot be read: " + error.getMessage()
                      : "it has no deployment record");
            },
            mainThread);
  }

  /** The stored checkpoints join the job's history, once; completes on the main thread. */
  private CompletableFuture<Void> storedHistory() {
    mainThread.assertRunningInMainThread();
    if (storedHistory == null) {
      storedHistory = checkpoints.adoptStoredHistory();
    }
    return storedHistory;
  }

  /** The recovered job does not adopt its tasks: it recovers from its latest checkpoint. */
  private void restartInsteadOfAdopting(String reason) {
    mainThread.assertRunningInMainThread();
    if (!scheduler.isReconciling()) {
      return;
    }
    LOG.info("Job {} ({}) is not adopted ({}): recovering it", jobGraph.name(), jobId, reason);
    notAdoptedBecause = reason;
    scheduler.startRunning();
    recover();
  }

  /**
   * The recovered job runs the tasks the previous leader deployed: counted, in the job's history,
   * and recorded again as this leader's, so that the next leader knows whose tasks it adopts.
   */
  private void adopted(DeploymentRecord record) {
    mainThread.assertRunningInMainThread();
    String line = reconciliations.adopted(record, clock.millis());
    scheduler.reconciliationsCounted(reconciliations.count());
    deploymentRecording.deploying(record);
    LOG.info(
        "Job {} ({}): {}, reconciliation {}",
        jobGraph.name(),
        jobId,
        line,
        reconciliations.count());
  }

  /**
   * A new leader took the job over: it starts from its latest readable completed checkpoint (the
   * counter moved past it), or where it was submitted to start when it never completed one; when it
   * did but none is readable it FAILS, so nothing is replayed into committed output.
   */
  private void recover() {
    mainThread.assertRunningInMainThread();
    storedHistory()
        .thenCompose(history -> checkpoints.selectRestorePoint(initialRestore))
        .whenCompleteAsync(
            (decision, error) -> {
              if (!scheduler.isRunning()) {
                return; // suspended or cancelled meanwhile
              }
              if (error != null) {
                scheduler.handleGlobalFailure(
                    FailureCauses.describe(
                        new IllegalStateException(
                            "could not choose a checkpoint to recover from", error)));
                return;
              }
              if (decision.refused()) {
                scheduler.failWithoutRestart(decision.refusal().get());
                return;
              }
              RestorePoint point = decision.point().orElse(null);
              if (point != null) {
                try {
                  checkpoints.restoring(point);
                } catch (UncheckedIOException e) {
                  if (e.getCause() instanceof LeadershipLostException) {
                    scheduler.leadershipLost(e.getCause().getMessage());
                  } else {
                    scheduler.handleGlobalFailure(FailureCauses.describe(e));
                  }
                  return;
                }
                restoredFrom =
                    new JobDetails.RestoredFrom(point.metadata().checkpointId(), point.path());
              }
              if (notAdoptedBecause != null) {
                LOG.warn(
                    "Job {} ({}): {}",
                    jobGraph.name(),
                    jobId,
                    reconciliations.restarted(notAdoptedBecause, describe(point), clock.millis()));
                notAdoptedBecause = null;
              }
              LOG.info(
                  "Recovered job {} ({}), recovery {}, {}",
                  jobGraph.name(),
                  jobId,
                  recoveries,
                  point == null
                      ? "from the beginning: it has no completed checkpoint"
                      : "from " + point.path());
              scheduler.schedule(point);
            },
            mainThread);
  }

  private static String describe(RestorePoint point) {
    if (point == null) {
      return "the beginning: no completed checkpoint";
    }
    return (point.metadata().isSavepoint() ? "savepoint " : "checkpoint ")
        + point.metadata().checkpointId();
  }

  /**
   * Gives up a job master that was never started (its submission was refused): stops its thread and
   * forgets its metrics.
   */
  public void discard() {
    mainThread.shutdown(Duration.ZERO);
    scheduler.discardMetrics();
  }

  /** Completes with the job's final details when it reached a terminal state (or was suspended). */
  /** The job's checkpoint settings, fixed for the job's life. */
  public CheckpointSettings checkpointSettings() {
    return checkpointSettings;
  }

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
          scheduler.cancel();
          return null;
        });
  }

  /**
   * Stops the job because this JobManager stops leading: cancels its tasks without waiting and
   * frees their slots, or leaves them running for the next leader ({@code tasks}), and ends it
   * SUSPENDED.
   */
  public CompletableFuture<Void> suspend(String reason, SuspendedTasks tasks) {
    return mainThread.call(
        () -> {
          scheduler.suspend(reason, tasks);
          return null;
        });
  }

  /** A TaskManager reports a task's new state. */
  public CompletableFuture<Acknowledgement> updateTaskState(ExecutionStateUpdate update) {
    return mainThread.call(
        () ->
            adoption.taskStateReported(update)
                ? Acknowledgement.accepted()
                : scheduler.updateTaskState(update));
  }

  // ---------------------------------------------------------------- the end of the job

  /**
   * The job master's side of the end of the run: the job's result and its release, kept out of the
   * job master's public face.
   */
  private final class Termination implements JobTermination {

    @Override
    public SuspendedTasks tasksOnLeadershipLost() {
      return reconciling.enabled() ? SuspendedTasks.HAND_OVER : SuspendedTasks.CANCEL;
    }

    @Override
    public ResultRecording recordResult(JobStatus terminal, long startTime, String failureCause) {
      mainThread.assertRunningInMainThread();
      JobResult result =
          new JobResult(
              jobId,
              jobGraph.name(),
              terminal.name(),
              startTime,
              clock.millis(),
              terminal == JobStatus.FAILED
                  ? Optional.ofNullable(failureCause).map(FailureCauses::oneLine)
                  : Optional.empty());
      try {
        lifecycleStores.recordResult(result);
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

    @Override
    public void forgetJob() {
      mainThread.assertRunningInMainThread();
      lifecycleStores.releaseJob(jobId);
      try {
        lifecycleStores.removeJobGraph(jobId);
      } catch (IOException e) {
        LOG.warn(
            "Job {} ({}) ended but its job graph stays stored; the next leader removes it: {}",
            jobGraph.name(),
            jobId,
            e.getMessage());
      }
    }

    @Override
    public void terminated(JobDetails finalDetails) {
      adoption.stop();
      termination.complete(withRecoveries(finalDetails));
    }
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

  /** A source task emitted its last record and waits for its final checkpoint. */
  public CompletableFuture<Acknowledgement> notifyEndOfData(EndOfData notice) {
    return mainThread.call(() -> checkpoints.receiveEndOfData(notice));
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

  /** Takes a checkpoint now; completes with its id once it completed. */
  public CompletableFuture<Long> triggerCheckpoint() {
    return mainThread.compose(checkpoints::triggerCheckpoint);
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
    return withRecoveries(scheduler.details());
  }

  private JobDetails withRecoveries(JobDetails details) {
    return details.withRecoveries(
        recoveries, restoredFrom, reconciliations.count(), reconciliations.events());
  }

  /** Stops the main thread; call once the job ended. */
  public void shutdown(Duration timeout) {
    mainThread.shutdown(timeout);
  }

  /** Stops exporting the job's series (restarts, records); call when the job is forgotten. */
  public void removeMetrics() {
    scheduler.removeMetrics();
  }
}
