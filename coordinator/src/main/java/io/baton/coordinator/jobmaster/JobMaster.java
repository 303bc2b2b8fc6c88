package io.baton.coordinator.jobmaster;

import io.baton.api.graph.JobGraph;
import io.baton.common.ids.ExecutionId;
import io.baton.common.ids.JobId;
import io.baton.common.ids.TaskManagerId;
import io.baton.common.rpc.Ack;
import io.baton.common.rpc.CancelTaskRequest;
import io.baton.common.rpc.CheckpointAck;
import io.baton.common.rpc.CheckpointDecline;
import io.baton.common.rpc.SubmitTaskRequest;
import io.baton.common.rpc.TaskMetrics;
import io.baton.common.rpc.TaskState;
import io.baton.common.rpc.TaskStateUpdate;
import io.baton.coordinator.checkpoint.CheckpointCoordinator;
import io.baton.coordinator.checkpoint.CheckpointServices;
import io.baton.coordinator.checkpoint.CheckpointSettings;
import io.baton.coordinator.checkpoint.CheckpointStats;
import io.baton.coordinator.checkpoint.RestorePoint;
import io.baton.coordinator.checkpoint.StateAssignment;
import io.baton.coordinator.dispatcher.JobDetails;
import io.baton.coordinator.dispatcher.JobStatus;
import io.baton.coordinator.dispatcher.JobSubmission;
import io.baton.coordinator.failover.RestartStrategy;
import io.baton.coordinator.metrics.JobManagerMetrics;
import io.baton.coordinator.metrics.JobMetricGroup;
import io.baton.coordinator.resourcemanager.AllocatedSlot;
import io.baton.coordinator.resourcemanager.ResourceManagerGateway;
import io.baton.coordinator.resourcemanager.SlotOwner;
import io.baton.coordinator.rpc.MainThreadExecutor;
import io.baton.coordinator.rpc.MainThreadExecutor.Cancellable;
import io.baton.coordinator.scheduler.Execution;
import io.baton.coordinator.scheduler.ExecutionGraph;
import io.baton.coordinator.scheduler.TaskDeploymentFactory;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
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
 */
public final class JobMaster implements SlotOwner {
  private static final Logger LOG = LoggerFactory.getLogger(JobMaster.class);

  private final JobId jobId;
  private final JobGraph jobGraph;
  private final RestartStrategy restartStrategy;
  private final ResourceManagerGateway resourceManager;
  private final MainThreadExecutor mainThread;
  private final Clock clock;
  private final Duration cancelTimeout;
  private final JobManagerMetrics metrics;
  private final JobMetricGroup jobMetrics;
  private final TaskDeploymentFactory deployments;
  private final ExecutionGraph executionGraph;
  private final JobDetailsBuilder detailsBuilder;
  private final CheckpointCoordinator checkpoints;
  private final Optional<RestorePoint> initialRestore;
  private final CheckpointServices checkpointServices;
  private final CompletableFuture<JobDetails> termination = new CompletableFuture<>();

  // state below: main thread only
  private final AllocatedSlot[] slots;
  private JobStatus status = JobStatus.CREATED;
  private final long startTime;
  private long endTime = -1;
  private long lastModification;
  private CompletableFuture<List<AllocatedSlot>> slotRequest;
  private Cancellable restartTimer = Cancellable.NONE;
  private boolean restartScheduled;
  private Cancellable cancelTimer = Cancellable.NONE;
  private int restarts;
  private String failureCause;
  // what the current attempt's tasks restore from; null: a fresh start
  private RestorePoint restorePoint;

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
        Optional.empty());
  }

  /**
   * @param checkpointSettings the job's checkpoint settings (cluster and job configuration)
   * @param initialRestore the verified savepoint or retained checkpoint the job starts from
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
      Optional<RestorePoint> initialRestore) {
    this.jobId = jobId;
    this.jobGraph = submission.graph();
    this.restartStrategy = restartStrategy;
    this.resourceManager = resourceManager;
    this.mainThread = mainThread;
    this.clock = clock;
    this.cancelTimeout = cancelTimeout;
    this.metrics = metrics;
    this.deployments = new TaskDeploymentFactory(jobId, jobGraph, submission.blobKey().orElse(""));
    this.jobMetrics = metrics.jobMetricGroup(jobId.toString(), jobGraph.name());
    this.slots = new AllocatedSlot[jobGraph.maxVertexParallelism()];
    this.startTime = clock.millis();
    this.lastModification = startTime;
    this.executionGraph = new ExecutionGraph(jobGraph, this::taskStateChanged);
    this.executionGraph.newAttempt(startTime);
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
            () -> status == JobStatus.RUNNING);
    metrics.jobStatusChanged(null, status);
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
              slots.length,
              restartStrategy.describe());
          transition(JobStatus.RUNNING);
          initialRestore.ifPresent(
              point -> {
                restorePoint = point;
                checkpoints.restoring(point);
              });
          checkpoints.startPeriodic();
          scheduleCurrentAttempt();
        });
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
          if (status.isGloballyTerminal()
              || status == JobStatus.CANCELLING
              || status == JobStatus.SUSPENDED) {
            return null;
          }
          LOG.info("Cancelling job {} ({})", jobGraph.name(), jobId);
          transition(JobStatus.CANCELLING);
          checkpoints.abortPending("job " + jobId + " is cancelling");
          restartTimer.cancel();
          restartScheduled = false;
          withdrawSlotRequest();
          cancelAllTasks();
          armCancelTimeout();
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
          if (!status.isGloballyTerminal() && status != JobStatus.SUSPENDED) {
            LOG.info("Suspending job {} ({}): {}", jobGraph.name(), jobId, reason);
            cancelAllTasks();
            end(JobStatus.SUSPENDED);
          }
          return null;
        });
  }

  // ---------------------------------------------------------------- scheduling

  private void scheduleCurrentAttempt() {
    long now = clock.millis();
    for (Execution e : executionGraph.currentExecutions()) {
      e.transitionTo(TaskState.SCHEDULED, now);
    }
    requestMissingSlotsOrDeploy();
  }

  private void requestMissingSlotsOrDeploy() {
    int missing = (int) Arrays.stream(slots).filter(Objects::isNull).count();
    if (missing == 0) {
      deployAll();
      return;
    }
    LOG.info("Job {} ({}) requests {} slots", jobGraph.name(), jobId, missing);
    CompletableFuture<List<AllocatedSlot>> request =
        resourceManager.requestSlots(jobId, missing, this);
    slotRequest = request;
    request.whenCompleteAsync((granted, error) -> onSlots(request, granted, error), mainThread);
  }

  private void onSlots(
      CompletableFuture<List<AllocatedSlot>> request,
      List<AllocatedSlot> granted,
      Throwable error) {
    if (request != slotRequest) {
      // withdrawn, but the grant crossed the withdrawal: hand the slots back
      if (granted != null) {
        resourceManager.releaseSlots(jobId, granted);
      }
      return;
    }
    slotRequest = null;
    if (error != null) {
      Throwable cause = FailureCauses.unwrap(error);
      if (!(cause instanceof CancellationException)) {
        handleGlobalFailure(FailureCauses.describe(cause));
      }
      return;
    }
    Iterator<AllocatedSlot> it = granted.iterator();
    for (int i = 0; i < slots.length && it.hasNext(); i++) {
      if (slots[i] == null) {
        slots[i] = it.next();
      }
    }
    List<AllocatedSlot> extra = new ArrayList<>();
    it.forEachRemaining(extra::add);
    if (!extra.isEmpty()) {
      resourceManager.releaseSlots(jobId, extra);
    }
    // a TaskManager may have been lost while we waited: ask again for what is missing
    requestMissingSlotsOrDeploy();
  }

  private void withdrawSlotRequest() {
    if (slotRequest != null) {
      CompletableFuture<List<AllocatedSlot>> request = slotRequest;
      slotRequest = null;
      request.cancel(false);
    }
  }

  private void deployAll() {
    List<Execution> executions = executionGraph.currentExecutions();
    for (Execution e : executions) {
      e.assign(slots[e.vertex().subtaskIndex()]);
    }
    long now = clock.millis();
    LOG.info(
        "Deploying {} tasks of job {} ({}), attempt {}",
        executions.size(),
        jobGraph.name(),
        jobId,
        executionGraph.attempt());
    for (Execution e : executions) {
      SubmitTaskRequest request = withRestoreState(deployments.create(e, executionGraph), e);
      e.transitionTo(TaskState.DEPLOYING, now);
      AllocatedSlot slot = e.slot();
      LOG.info(
          "Deploying {} of job {} to {} at {}:{}",
          e,
          jobId,
          slot,
          slot.address().getHost(),
          slot.address().getPort());
      slot.gateway()
          .submitTask(request)
          .whenCompleteAsync((ack, error) -> onSubmitted(e, ack, error), mainThread);
    }
  }

  private SubmitTaskRequest withRestoreState(SubmitTaskRequest request, Execution e) {
    if (restorePoint == null) {
      return request;
    }
    return request.toBuilder()
        .setRestoreCheckpointId(restorePoint.metadata().checkpointId())
        .addAllRestoreState(
            StateAssignment.forSubtask(
                restorePoint.metadata(), e.vertex().jobVertex(), e.vertex().subtaskIndex()))
        .build();
  }

  private void onSubmitted(Execution e, Ack ack, Throwable error) {
    if (executionGraph.current(e.id()) != e || e.isTerminal()) {
      return;
    }
    if (error == null && ack.getOk()) {
      e.markSubmitAcknowledged();
      if (e.state() == TaskState.CANCELING) {
        // cancelled while the submission was under way: the TaskManager knows the task only now
        sendCancel(e);
      }
      return;
    }
    String reason = error != null ? String.valueOf(FailureCauses.unwrap(error)) : ack.getError();
    if (e.state() == TaskState.CANCELING) {
      // it never started; nothing to wait for
      e.transitionTo(TaskState.CANCELED, clock.millis());
      checkAllTerminal();
      return;
    }
    String cause =
        FailureCauses.describe(
            new TaskDeploymentException(
                "could not deploy " + e + " to " + e.slot() + ": " + reason, error));
    LOG.warn("Deploying {} of job {} failed: {}", e, jobId, reason);
    e.markFailed(cause, clock.millis());
    handleGlobalFailure(cause);
  }

  // ---------------------------------------------------------------- task states

  /** A TaskManager reports a task's new state. */
  public CompletableFuture<Ack> updateTaskState(TaskStateUpdate update) {
    return mainThread.call(() -> applyTaskState(update));
  }

  private Ack applyTaskState(TaskStateUpdate update) {
    Execution e;
    try {
      e = executionGraph.current(ExecutionId.parse(update.getExecutionId()));
    } catch (IllegalArgumentException bad) {
      return nack(bad.getMessage());
    }
    if (e == null) {
      LOG.debug(
          "Ignoring state {} of execution {} of job {}: not a current attempt",
          update.getState(),
          update.getExecutionId(),
          jobId);
      return nack(
          "execution " + update.getExecutionId() + " is not a current task of job " + jobId);
    }
    if (update.hasFinalMetrics()) {
      e.updateMetrics(update.getFinalMetrics());
    }
    long now = clock.millis();
    TaskState before = e.state();
    switch (update.getState()) {
      case RUNNING -> {
        if (before == TaskState.DEPLOYING) {
          e.transitionTo(TaskState.RUNNING, now);
          LOG.info("{} of job {} is RUNNING on TaskManager {}", e, jobId, e.slot().taskManagerId());
        }
      }
      case FINISHED -> {
        if (e.transitionTo(TaskState.FINISHED, now)) {
          LOG.info("{} of job {} FINISHED", e, jobId);
          checkpoints.executionFinished(e.id());
        }
        if (status == JobStatus.RUNNING && executionGraph.allFinished()) {
          end(JobStatus.FINISHED);
        } else {
          checkAllTerminal();
        }
      }
      case CANCELED -> {
        e.transitionTo(TaskState.CANCELED, now);
        if (status == JobStatus.RUNNING
            && before != TaskState.CANCELING
            && before != TaskState.CANCELED) {
          handleGlobalFailure(
              FailureCauses.describe(
                  new IllegalStateException(
                      e
                          + " was canceled on TaskManager "
                          + update.getTaskManagerId()
                          + " unasked")));
        } else {
          checkAllTerminal();
        }
      }
      case FAILED -> {
        String cause =
            update.getFailureCause().isBlank()
                ? "java.lang.Exception: " + e + " failed without a cause"
                : update.getFailureCause();
        boolean changed = !e.isTerminal();
        e.markFailed(cause, now);
        if (changed) {
          LOG.warn(
              "{} of job {} FAILED on TaskManager {}: {}",
              e,
              jobId,
              update.getTaskManagerId(),
              FailureCauses.firstLine(cause));
        }
        if (status == JobStatus.RUNNING && changed) {
          handleGlobalFailure(cause);
        } else {
          checkAllTerminal();
        }
      }
      default -> {
        return nack("a TaskManager cannot report state " + update.getState());
      }
    }
    if (e.state() != before) {
      lastModification = now;
    }
    return Ack.newBuilder().setOk(true).build();
  }

  private static Ack nack(String error) {
    return Ack.newBuilder().setOk(false).setError(error).build();
  }

  // ---------------------------------------------------------------- failover

  private void handleGlobalFailure(String cause) {
    if (status != JobStatus.RUNNING) {
      checkAllTerminal();
      return;
    }
    failureCause = cause;
    restartStrategy.notifyFailure();
    boolean restart = restartStrategy.canRestart();
    LOG.warn(
        "Job {} ({}) failed: {}; {}",
        jobGraph.name(),
        jobId,
        FailureCauses.firstLine(cause),
        restart
            ? "cancelling all tasks, then restarting (" + restartStrategy.describe() + ")"
            : "no restart left ("
                + restartStrategy.describe()
                + "): cancelling all tasks, then"
                + " failing the job");
    transition(restart ? JobStatus.RESTARTING : JobStatus.FAILING);
    checkpoints.abortPending("job " + jobId + " failed over");
    withdrawSlotRequest();
    cancelAllTasks();
    armCancelTimeout();
    checkAllTerminal();
  }

  private void cancelAllTasks() {
    long now = clock.millis();
    for (Execution e : executionGraph.currentExecutions()) {
      switch (e.state()) {
        case CREATED, SCHEDULED -> e.transitionTo(TaskState.CANCELED, now);
        case DEPLOYING, RUNNING -> {
          e.transitionTo(TaskState.CANCELING, now);
          // a task still being submitted is cancelled once its TaskManager acknowledged it
          if (e.submitAcknowledged()) {
            sendCancel(e);
          }
        }
        default -> {}
      }
    }
  }

  private void sendCancel(Execution e) {
    AllocatedSlot slot = e.slot();
    CancelTaskRequest request =
        CancelTaskRequest.newBuilder()
            .setJobId(jobId.toString())
            .setExecutionId(e.id().toString())
            .build();
    slot.gateway()
        .cancelTask(request)
        .whenComplete(
            (ack, error) -> {
              if (error != null || !ack.getOk()) {
                LOG.info(
                    "Cancelling {} of job {} on TaskManager {}: {}",
                    e,
                    jobId,
                    slot.taskManagerId(),
                    error != null ? String.valueOf(error) : ack.getError());
              }
            });
  }

  private void armCancelTimeout() {
    cancelTimer.cancel();
    cancelTimer = mainThread.schedule(this::onCancelTimeout, cancelTimeout);
  }

  private void onCancelTimeout() {
    long now = clock.millis();
    for (Execution e : executionGraph.currentExecutions()) {
      if (!e.isTerminal()) {
        LOG.warn(
            "{} of job {} did not stop within {} ms; considering it canceled",
            e,
            jobId,
            cancelTimeout.toMillis());
        e.transitionTo(TaskState.CANCELED, now);
      }
    }
    checkAllTerminal();
  }

  /** Once every task is terminal: restart after the backoff, or end the job. */
  private void checkAllTerminal() {
    if (!executionGraph.allTerminal()) {
      return;
    }
    switch (status) {
      case RESTARTING -> {
        if (!restartScheduled) {
          cancelTimer.cancel();
          Duration backoff = restartStrategy.backoff();
          LOG.info(
              "All tasks of job {} ({}) stopped; restarting in {} ms",
              jobGraph.name(),
              jobId,
              backoff.toMillis());
          restartScheduled = true;
          restartTimer = mainThread.schedule(this::restart, backoff);
        }
      }
      case FAILING -> end(JobStatus.FAILED);
      case CANCELLING -> end(JobStatus.CANCELED);
      default -> {}
    }
  }

  private void restart() {
    restartScheduled = false;
    if (status != JobStatus.RESTARTING) {
      return;
    }
    restarts++;
    jobMetrics.setRestarts(restarts);
    executionGraph.newAttempt(clock.millis());
    LOG.info(
        "Restarting job {} ({}): attempt {}, restart {}",
        jobGraph.name(),
        jobId,
        executionGraph.attempt(),
        restarts);
    transition(JobStatus.RUNNING);
    int attempt = executionGraph.attempt();
    checkpoints
        .selectLatestCheckpoint()
        .whenCompleteAsync(
            (chosen, error) -> {
              if (status != JobStatus.RUNNING || executionGraph.attempt() != attempt) {
                return; // failed or cancelled while the checkpoint was being chosen
              }
              if (error != null) {
                handleGlobalFailure(
                    FailureCauses.describe(
                        new IllegalStateException(
                            "could not choose a checkpoint to restore from", error)));
                return;
              }
              // without a completed checkpoint: where the job started (a savepoint, or nothing)
              restorePoint = chosen.or(() -> initialRestore).orElse(null);
              if (restorePoint != null) {
                checkpoints.restoring(restorePoint);
              }
              scheduleCurrentAttempt();
            },
            mainThread);
  }

  private void end(JobStatus terminal) {
    checkpoints.shutdown(terminal);
    if (terminal.isGloballyTerminal()) {
      // nothing resumes this job any more; a retained checkpoint is resumed with run -s
      checkpointServices.highAvailability().releaseJob(jobId);
    }
    restartTimer.cancel();
    cancelTimer.cancel();
    withdrawSlotRequest();
    transition(terminal);
    endTime = clock.millis();
    Arrays.fill(slots, null);
    resourceManager.releaseJob(jobId);
    JobDetails finalDetails = details();
    executionGraph.retireAll();
    if (terminal == JobStatus.FAILED) {
      LOG.warn(
          "Job {} ({}) FAILED after {} restarts: {}",
          jobGraph.name(),
          jobId,
          restarts,
          FailureCauses.firstLine(failureCause));
    } else {
      LOG.info("Job {} ({}) is {}", jobGraph.name(), jobId, terminal);
    }
    termination.complete(finalDetails);
  }

  private void transition(JobStatus next) {
    JobStatus previous = status;
    status = next;
    lastModification = clock.millis();
    metrics.jobStatusChanged(previous, next);
    LOG.info("Job {} ({}) switched from {} to {}", jobGraph.name(), jobId, previous, next);
  }

  private void taskStateChanged(TaskState from, TaskState to) {
    metrics.taskStateChanged(from, to);
  }

  // ---------------------------------------------------------------- resource manager news

  @Override
  public void taskManagerLost(TaskManagerId taskManagerId, Exception cause) {
    mainThread.tell(() -> onTaskManagerLost(taskManagerId, cause));
  }

  private void onTaskManagerLost(TaskManagerId taskManagerId, Exception cause) {
    if (status.isGloballyTerminal() || status == JobStatus.SUSPENDED) {
      return;
    }
    for (int i = 0; i < slots.length; i++) {
      if (slots[i] != null && slots[i].taskManagerId().equals(taskManagerId)) {
        slots[i] = null;
      }
    }
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

  @Override
  public void taskMetricsReported(TaskManagerId taskManagerId, List<TaskMetrics> reported) {
    mainThread.tell(
        () -> {
          boolean any = false;
          for (TaskMetrics m : reported) {
            Execution e;
            try {
              e = executionGraph.current(ExecutionId.parse(m.getExecutionId()));
            } catch (IllegalArgumentException bad) {
              continue;
            }
            if (e != null) {
              e.updateMetrics(m);
              any = true;
            }
          }
          if (any) {
            long in = 0;
            long out = 0;
            long bytesIn = 0;
            long bytesOut = 0;
            for (Execution e : executionGraph.currentExecutions()) {
              in += e.metrics().getRecordsIn();
              out += e.metrics().getRecordsOut();
              bytesIn += e.metrics().getBytesIn();
              bytesOut += e.metrics().getBytesOut();
            }
            jobMetrics.setIo(in, out, bytesIn, bytesOut);
          }
        });
  }

  // ---------------------------------------------------------------- checkpoints

  /** A task acknowledged a checkpoint. */
  public CompletableFuture<Ack> acknowledgeCheckpoint(CheckpointAck ack) {
    return mainThread.call(() -> checkpoints.receiveAcknowledge(ack));
  }

  /** A task declined a checkpoint. */
  public CompletableFuture<Ack> declineCheckpoint(CheckpointDecline decline) {
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
    return detailsBuilder.build(
        executionGraph,
        status,
        startTime,
        endTime,
        clock.millis(),
        failureCause,
        restarts,
        lastModification);
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
