package io.baton.coordinator.checkpoint;

import io.baton.common.checkpoint.CheckpointAcknowledgement;
import io.baton.common.checkpoint.CheckpointDeclined;
import io.baton.common.checkpoint.EndOfData;
import io.baton.common.cluster.Acknowledgement;
import io.baton.common.concurrent.MainThreadExecutor;
import io.baton.common.concurrent.MainThreadExecutor.Cancellable;
import io.baton.common.ids.ExecutionId;
import io.baton.common.ids.JobId;
import io.baton.coordinator.executiongraph.Execution;
import io.baton.coordinator.executiongraph.ExecutionGraph;
import io.baton.coordinator.failover.FailureCauses;
import io.baton.coordinator.metrics.JobMetricGroup;
import io.baton.coordinator.status.JobStatus;
import io.baton.ha.CheckpointIdCounter;
import io.baton.ha.CheckpointPointer;
import io.baton.ha.CompletedCheckpointStore;
import io.baton.ha.LeadershipLostException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Triggers, completes and aborts one job's checkpoints and savepoints, and picks the checkpoint a
 * restarted job restores from. Lives on the job master's main thread; storage work (writing {@code
 * _metadata}, verifying and deleting files) runs on the I/O executor and hops back.
 *
 * <p>A checkpoint is triggered at the sources only, when every task of the current attempt is
 * RUNNING, and completes when every current execution acknowledged it: then {@code _metadata} is
 * written, the checkpoint is published to the {@link CompletedCheckpointStore} (older ones beyond
 * {@code state.checkpoints.num-retained} are withdrawn, then deleted) and every task is notified. A
 * decline, a failed trigger or the timeout aborts it; more consecutive failures than {@code
 * execution.checkpointing.tolerable-failed-checkpoints} fail the job.
 */
public final class CheckpointCoordinator {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointCoordinator.class);

  private final JobId jobId;
  private final CheckpointSettings settings;
  private final CheckpointFiles files;
  private final CheckpointLocations locations;
  private final CompletedCheckpointStore store;
  private final CheckpointIdCounter idCounter;
  private final ExecutionGraph executionGraph;
  private final MainThreadExecutor mainThread;
  private final Executor io;
  private final Clock clock;
  private final CheckpointedJob job;
  private final CheckpointStatsTracker stats;
  private final CheckpointDisposal disposal;
  private final CheckpointTakeover takeover;
  private final RestorePointSelection restoreSelection;
  private final OnDemandCheckpoints onDemand;
  private final ConsecutiveCheckpointFailures failures;
  private final EndedSources endedSources = new EndedSources();
  private final CheckpointTasks tasks;

  // main thread only
  private final TreeMap<Long, PendingCheckpoint> pending = new TreeMap<>();
  private Cancellable periodicTimer = Cancellable.NONE;
  private boolean shutdown;

  /**
   * @param job whether the job runs; told when too many checkpoints failed or this JobManager no
   *     longer leads
   */
  public CheckpointCoordinator(
      JobId jobId,
      CheckpointSettings settings,
      CheckpointFiles files,
      CompletedCheckpointStore store,
      CheckpointIdCounter idCounter,
      ExecutionGraph executionGraph,
      MainThreadExecutor mainThread,
      Executor io,
      Clock clock,
      JobMetricGroup metrics,
      CheckpointedJob job) {
    this.jobId = jobId;
    this.settings = settings;
    this.files = files;
    this.store = store;
    this.idCounter = idCounter;
    this.executionGraph = executionGraph;
    this.mainThread = mainThread;
    this.io = io;
    this.clock = clock;
    this.job = job;
    this.stats = new CheckpointStatsTracker(metrics);
    this.locations = CheckpointLocations.of(settings);
    this.tasks = new CheckpointTasks(jobId, executionGraph, mainThread);
    this.disposal = new CheckpointDisposal(jobId, store, files, io, locations);
    this.restoreSelection =
        new RestorePointSelection(jobId, store, files, locations, stats, mainThread, io);
    this.takeover =
        new CheckpointTakeover(
            jobId,
            store,
            idCounter,
            executionGraph,
            mainThread,
            io,
            stats,
            tasks,
            () -> !shutdown && job.isRunning(),
            this::startPeriodicAtOnce);
    this.failures = new ConsecutiveCheckpointFailures(settings.tolerableFailures());
    this.onDemand = new OnDemandCheckpoints(jobId, settings, new OnDemandAccess(), mainThread);
    try {
      idCounter.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the checkpoint id counter of job " + jobId, e);
    }
  }

  public CheckpointSettings settings() {
    return settings;
  }

  /** Starts the periodic trigger, when checkpointing is on. Main thread. */
  public void startPeriodic() {
    startPeriodic(settings.interval().orElse(Duration.ZERO));
  }

  /**
   * Starts the periodic trigger with a checkpoint at once. After an adoption the output the
   * previous leader's last interval produced commits only with the next completed checkpoint, so
   * there is no reason to wait a whole interval for it.
   */
  private void startPeriodicAtOnce() {
    startPeriodic(Duration.ZERO);
  }

  private void startPeriodic(Duration firstDelay) {
    mainThread.assertRunningInMainThread();
    if (settings.periodic() && !shutdown) {
      periodicTimer.cancel();
      stats.periodicStarted(settings.interval().get().toMillis(), clock.millis());
      periodicTimer = mainThread.schedule(this::onPeriodicTrigger, firstDelay);
    }
  }

  private void onPeriodicTrigger() {
    mainThread.assertRunningInMainThread();
    if (shutdown) {
      return;
    }
    try {
      if (job.isRunning() && tasks.allRunning() && pending.size() < settings.maxConcurrent()) {
        URI jobDir = CheckpointFiles.asDirectory(settings.checkpointsDirectory().get());
        long id = idCounter.getAndIncrement();
        trigger(id, jobDir.resolve(jobId + "/chk-" + id), false);
      }
    } catch (LeadershipLostException e) {
      job.leadershipLost("taking checkpoint id of job " + jobId + ": " + e.getMessage());
    } catch (IOException e) {
      LOG.warn(
          "No checkpoint of job {} this interval: cannot take the next checkpoint id: {}",
          jobId,
          e.getMessage());
    } finally {
      startPeriodic();
    }
  }

  /** A savepoint for the REST API: see {@link OnDemandCheckpoints#savepoint}. Main thread. */
  public CompletableFuture<String> triggerSavepoint(Optional<URI> targetDirectory) {
    return onDemand.savepoint(targetDirectory);
  }

  /** A checkpoint for the REST API: see {@link OnDemandCheckpoints#checkpoint}. Main thread. */
  public CompletableFuture<Long> triggerCheckpoint() {
    return onDemand.checkpoint();
  }

  /** What on-demand checkpoints and savepoints see of this coordinator. */
  private final class OnDemandAccess implements OnDemandCheckpoints.Checkpoints {
    @Override
    public boolean tasksReady() {
      return !shutdown && job.isRunning() && tasks.allRunning();
    }

    @Override
    public boolean settlingAdoption() {
      return takeover.resumingAdopted();
    }

    @Override
    public Optional<CompletableFuture<?>> oldestInFlightWhenFull() {
      return pending.size() < settings.maxConcurrent()
          ? Optional.empty()
          : Optional.of(pending.firstEntry().getValue().completion());
    }

    @Override
    public long nextId() throws IOException {
      try {
        return idCounter.getAndIncrement();
      } catch (LeadershipLostException e) {
        job.leadershipLost("taking checkpoint id of job " + jobId + ": " + e.getMessage());
        throw e;
      }
    }

    @Override
    public CompletableFuture<String> trigger(long id, URI directory, boolean savepoint) {
      return CheckpointCoordinator.this.trigger(id, directory, savepoint).completion();
    }
  }

  private PendingCheckpoint trigger(long id, URI directory, boolean savepoint) {
    mainThread.assertRunningInMainThread();
    long now = clock.millis();
    List<Execution> executions = tasks.taking();
    Map<ExecutionId, PendingCheckpoint.Subtask> ids = new HashMap<>();
    executions.forEach(e -> ids.put(e.id(), PendingCheckpoint.Subtask.of(e)));
    PendingCheckpoint p = new PendingCheckpoint(id, now, directory, savepoint, ids);
    pending.put(id, p);
    stats.triggered(p);
    p.setTimeout(
        mainThread.schedule(
            () ->
                abortIfInFlight(
                    p,
                    "expired after "
                        + settings.timeout().toMillis()
                        + " ms before all tasks acknowledged ("
                        + p.numAcknowledged()
                        + "/"
                        + p.numSubtasks()
                        + ")",
                    true),
            settings.timeout()));
    LOG.info(
        "Triggering {} {} of job {} at {} ({} tasks to acknowledge)",
        savepoint ? "savepoint" : "checkpoint",
        id,
        jobId,
        directory,
        ids.size());
    tasks.trigger(
        executions,
        id,
        now,
        directory,
        savepoint,
        (source, why) ->
            abortIfInFlight(p, "could not trigger it at " + source + ": " + why, !savepoint));
    return p;
  }

  /** Aborts {@code p} unless it ended or is being completed meanwhile. */
  private void abortIfInFlight(PendingCheckpoint p, String reason, boolean counts) {
    if (pending.get(p.id()) == p && !p.finalizing()) {
      abort(p, reason, counts);
    }
  }

  /** A task acknowledged a checkpoint. Main thread. */
  public Acknowledgement receiveAcknowledge(CheckpointAcknowledgement ack) {
    mainThread.assertRunningInMainThread();
    PendingCheckpoint p = pending.get(ack.checkpointId());
    ExecutionId execution = ack.executionId();
    if (p == null || executionGraph.current(execution) == null) {
      LOG.debug(
          "Ignoring acknowledgement of checkpoint {} of job {} by {}: not pending or not current",
          ack.checkpointId(),
          jobId,
          ack.executionId());
      return nack(
          "checkpoint "
              + ack.checkpointId()
              + " of job "
              + jobId
              + " is not pending for "
              + ack.executionId());
    }
    if (!p.acknowledge(execution, ack.state(), clock.millis())) {
      return nack("checkpoint " + p.id() + " was acknowledged by " + execution + " already");
    }
    if (p.fullyAcknowledged()) {
      complete(p);
    }
    return Acknowledgement.accepted();
  }

  /**
   * A task FINISHED: checkpoints in flight stop waiting for it (its input ended, so no barrier
   * reaches it any more). Main thread.
   */
  public void executionFinished(ExecutionId execution) {
    mainThread.assertRunningInMainThread();
    for (PendingCheckpoint p : new ArrayList<>(pending.values())) {
      if (p.expects(execution)) {
        p.acknowledge(execution, List.of(), clock.millis());
        if (p.fullyAcknowledged() && !p.finalizing()) {
          complete(p);
        }
      }
    }
  }

  /**
   * A source emitted its last record. Once every source of the job has, the final checkpoint is
   * triggered at once, or as soon as a checkpoint in flight ends (then the periodic schedule goes
   * on from it). Main thread.
   */
  public Acknowledgement receiveEndOfData(EndOfData notice) {
    mainThread.assertRunningInMainThread();
    Execution e = executionGraph.current(notice.executionId());
    if (e == null || !e.vertex().jobVertex().isSource()) {
      return nack(notice.executionId() + " is no source of job " + jobId + "'s current attempt");
    }
    if (endedSources.ended(e, executionGraph.currentExecutions()) && settings.periodic()) {
      LOG.info("Every source of job {} emitted its last record: final checkpoint now", jobId);
      triggerFinalCheckpointIfRoom();
    }
    return Acknowledgement.accepted();
  }

  private void triggerFinalCheckpointIfRoom() {
    if (endedSources.takeDue(pending.size() < settings.maxConcurrent())) {
      startPeriodicAtOnce();
    }
  }

  /** A task could not take part in a checkpoint: it is aborted. Main thread. */
  public Acknowledgement receiveDecline(CheckpointDeclined decline) {
    mainThread.assertRunningInMainThread();
    PendingCheckpoint p = pending.get(decline.checkpointId());
    Execution e = executionGraph.current(decline.executionId());
    if (p == null || e == null || p.finalizing()) {
      return nack("checkpoint " + decline.checkpointId() + " of job " + jobId + " is not pending");
    }
    abort(p, "declined by " + e + ": " + decline.reason(), !p.savepoint());
    return Acknowledgement.accepted();
  }

  private static Acknowledgement nack(String error) {
    return Acknowledgement.refused(error);
  }

  private void complete(PendingCheckpoint p) {
    mainThread.assertRunningInMainThread();
    p.startFinalizing();
    long now = clock.millis();
    CheckpointMetadata metadata =
        new CheckpointMetadata(
            CheckpointMetadata.FORMAT_VERSION,
            jobId.toString(),
            p.id(),
            p.triggerTimestamp(),
            now,
            p.savepoint(),
            p.state().stream().map(CheckpointMetadata.Handle::of).toList());
    CompletableFuture.runAsync(
            () -> {
              try {
                files.writeMetadata(p.directory(), metadata);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            io)
        .whenCompleteAsync(
            (ignored, error) -> {
              if (pending.get(p.id()) != p) {
                return; // aborted meanwhile: the job failed over or ended
              }
              if (error != null) {
                Throwable cause = FailureCauses.unwrap(error);
                if (cause instanceof UncheckedIOException u) {
                  cause = u.getCause();
                }
                abort(p, "writing " + CheckpointMetadata.FILE_NAME + " failed: " + cause, true);
              } else {
                publish(p, metadata);
              }
            },
            mainThread);
  }

  private void publish(PendingCheckpoint p, CheckpointMetadata metadata) {
    mainThread.assertRunningInMainThread();
    long now = clock.millis();
    if (!p.savepoint()) {
      try {
        store.add(
            new CheckpointPointer(
                p.id(),
                p.directory().toString(),
                false,
                now,
                p.triggerTimestamp(),
                p.stateSize(),
                p.numSubtasks()));
      } catch (LeadershipLostException e) {
        // not published, and no longer ours to clean up or to tell the tasks about
        pending.remove(p.id());
        p.cancelTimeout();
        stats.failed(p, now, "leadership lost: " + e.getMessage());
        p.completion()
            .completeExceptionally(
                new CheckpointException("checkpoint " + p.id() + " failed: leadership lost"));
        LOG.warn(
            "Checkpoint {} of job {} not published: this JobManager no longer leads ({})",
            p.id(),
            jobId,
            e.getMessage());
        job.leadershipLost("publishing checkpoint " + p.id() + ": " + e.getMessage());
        return;
      } catch (IOException e) {
        // not published: no task may commit for it
        abort(p, "publishing it to the completed checkpoint store failed: " + e.getMessage(), true);
        return;
      }
    }
    pending.remove(p.id());
    failures.completed();
    stats.completed(p, now);
    if (!p.savepoint()) {
      disposal.retain(settings.numRetained(), job::leadershipLost);
    }
    LOG.info(
        "Completed {} {} of job {} in {} ms: {} bytes in {} state files at {}",
        p.savepoint() ? "savepoint" : "checkpoint",
        p.id(),
        jobId,
        now - p.triggerTimestamp(),
        metadata.stateSize(),
        metadata.state().size(),
        p.directory());
    tasks.notifyCompleted(p.id());
    p.completion().complete(p.directory().toString());
    triggerFinalCheckpointIfRoom();
  }

  private void abort(PendingCheckpoint p, String reason, boolean counts) {
    mainThread.assertRunningInMainThread();
    pending.remove(p.id());
    p.cancelTimeout();
    long now = clock.millis();
    stats.failed(p, now, reason);
    LOG.warn(
        "{} {} of job {} aborted: {}",
        p.savepoint() ? "Savepoint" : "Checkpoint",
        p.id(),
        jobId,
        reason);
    tasks.notifyAborted(p.id());
    disposal.deleteLater(p.directory());
    p.completion()
        .completeExceptionally(
            new CheckpointException(
                (p.savepoint() ? "savepoint " : "checkpoint ") + p.id() + " failed: " + reason));
    if (counts) {
      failures.failed(reason).ifPresent(job::handleGlobalFailure);
    }
    triggerFinalCheckpointIfRoom();
  }

  /**
   * Aborts every checkpoint in flight without counting them as failures: the job fails over or
   * stops, so its tasks will not acknowledge. Main thread.
   */
  public void abortPending(String reason) {
    mainThread.assertRunningInMainThread();
    abortPending(reason, true);
  }

  private void abortPending(String reason, boolean deleteFiles) {
    mainThread.assertRunningInMainThread();
    endedSources.attemptEnded();
    for (PendingCheckpoint p : new ArrayList<>(pending.values())) {
      pending.remove(p.id());
      p.cancelTimeout();
      stats.failed(p, clock.millis(), reason);
      if (deleteFiles) {
        disposal.deleteLater(p.directory());
      }
      p.completion()
          .completeExceptionally(
              new CheckpointException(
                  (p.savepoint() ? "savepoint " : "checkpoint ") + p.id() + " failed: " + reason));
    }
  }

  /**
   * Decides where the job resumes on its own: see {@link RestorePointSelection}. Main thread;
   * completes on it.
   *
   * @param initialRestore where the job was submitted to start
   */
  public CompletableFuture<RestoreDecision> selectRestorePoint(
      Optional<RestorePoint> initialRestore) {
    return restoreSelection.select(initialRestore);
  }

  /**
   * A new leader took the job over: the completed checkpoints the store names (its earlier
   * leaders') join this job's checkpoint history. The store is read on the I/O executor; completes
   * on the main thread once the history has them (or could not be read: logged). Main thread.
   */
  public CompletableFuture<Void> adoptStoredHistory() {
    return takeover.adoptStoredHistory();
  }

  /**
   * Records that the new attempt restores from {@code point}, and moves the id counter past it.
   * Main thread.
   */
  public void restoring(RestorePoint point) {
    mainThread.assertRunningInMainThread();
    try {
      idCounter.setCount(point.metadata().checkpointId() + 1);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot move the checkpoint id counter of job " + jobId + " past the restored one", e);
    }
    stats.restored(point.metadata(), point.path(), clock.millis());
    LOG.info(
        "Job {} restores from {} {} at {} ({} state files)",
        jobId,
        point.metadata().isSavepoint() ? "savepoint" : "checkpoint",
        point.metadata().checkpointId(),
        point.path(),
        point.metadata().state().size());
  }

  /**
   * A new leader adopted the job's running tasks (jobmanager.failover.reconcile): moves the id
   * counter past every id the previous leader took, tells the tasks again that the latest completed
   * checkpoint completed (a sink that missed the notification commits now; one that did not commits
   * nothing twice), aborts on the tasks the previous leader's checkpoints that never completed, so
   * they drop what they kept for them, and starts the periodic trigger. The stores are read and the
   * counter moved on the I/O executor; until then no checkpoint or savepoint is triggered. Main
   * thread; completes on it.
   *
   * @return completes with the id of the latest completed checkpoint (-1 when the job has none), or
   *     with an {@link UncheckedIOException} when the store or the counter could not be read (a
   *     {@link LeadershipLostException} cause: another JobManager leads now)
   */
  public CompletableFuture<Long> resumeAdopted() {
    return takeover.resumeAdopted();
  }

  public CheckpointStats stats() {
    return stats.snapshot();
  }

  /**
   * Stops triggering and aborts what is in flight. The job ended with {@code terminal}: its
   * retained checkpoints are deleted when it FINISHED, or was CANCELED without {@code
   * RETAIN_ON_CANCELLATION}; a FAILED or SUSPENDED job keeps them to be resumed. Main thread.
   */
  public void shutdown(JobStatus terminal) {
    mainThread.assertRunningInMainThread();
    if (shutdown) {
      return;
    }
    periodicTimer.cancel();
    // a suspended job belongs to the next leader now: nothing of it is deleted here
    abortPending("job " + jobId + " is " + terminal, terminal != JobStatus.SUSPENDED);
    shutdown = true;
    if (terminal == JobStatus.SUSPENDED) {
      // not even a read: the stores may be unreachable, which is often why the job is suspended
      LOG.info("Job {} is SUSPENDED; its checkpoints stay for the next leader", jobId);
      return;
    }
    CheckpointDisposal.cleanUp(jobId, terminal, settings, store, files, io);
  }
}
