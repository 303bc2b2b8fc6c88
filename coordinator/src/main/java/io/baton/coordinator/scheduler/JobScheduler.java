package io.baton.coordinator.scheduler;

import io.baton.api.graph.JobGraph;
import io.baton.common.cluster.Acknowledgement;
import io.baton.common.concurrent.MainThreadExecutor;
import io.baton.common.execution.ExecutionStateUpdate;
import io.baton.common.execution.TaskIoCounters;
import io.baton.common.ids.JobId;
import io.baton.common.ids.TaskManagerId;
import io.baton.coordinator.checkpoint.CheckpointCoordinator;
import io.baton.coordinator.checkpoint.CheckpointServices;
import io.baton.coordinator.checkpoint.CheckpointedJob;
import io.baton.coordinator.checkpoint.RestorePoint;
import io.baton.coordinator.executiongraph.Execution;
import io.baton.coordinator.executiongraph.ExecutionGraph;
import io.baton.coordinator.executiongraph.TaskDeploymentFactory;
import io.baton.coordinator.failover.FailureCauses;
import io.baton.coordinator.failover.RestartStrategy;
import io.baton.coordinator.metrics.JobManagerMetrics;
import io.baton.coordinator.metrics.JobMetricGroup;
import io.baton.coordinator.resourcemanager.AllocatedSlot;
import io.baton.coordinator.resourcemanager.ResourceManagerGateway;
import io.baton.coordinator.resourcemanager.SlotOwner;
import io.baton.coordinator.scheduler.JobTermination.ResultRecording;
import io.baton.coordinator.status.JobDetails;
import io.baton.coordinator.status.JobStatus;
import io.baton.ha.LeadershipLostException;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of a job's execution graph and of everything that changes it, as Flink's {@code
 * DefaultScheduler}: it requests the job's slots, deploys all tasks of an attempt at once
 * (streaming jobs schedule eagerly), cancels tasks, applies the states and metrics the TaskManagers
 * report, fails the job over globally under its restart strategy, and ends the job's run.
 * Everything runs on the job master's main thread.
 *
 * <p>Job states: CREATED → RUNNING → FINISHED once every task finished. A failed task or a lost
 * TaskManager moves the job to RESTARTING (the strategy allows another attempt) or FAILING; every
 * other task is cancelled, and once all are terminal (or the cancellation timeout passed) the job
 * restarts after the strategy's backoff with new executions from the latest completed checkpoint,
 * or ends FAILED with the first failure's cause. Cancelling moves it through CANCELLING to
 * CANCELED. Its slots are freed when it ends.
 *
 * <p>Its private parts hold a piece of the state each and call back into this owner: {@link
 * JobSlots} (the job's slots), {@link AttemptDeployment} (submitting an attempt's tasks), {@link
 * TaskCancellation}, {@link TaskStateUpdates} and {@link TaskMetricsReports} (what the TaskManagers
 * report), {@link JobStatusTracker} (the job's status and its times), {@link JobRestart} (the
 * restart after a failover). The job's {@link CheckpointCoordinator} sees it as a {@link
 * CheckpointedJob}. What outlives the run (the job's result, its release from high availability) is
 * the job master's, through {@link JobTermination}; see docs/architecture.md, "Threads and who owns
 * what".
 */
public final class JobScheduler implements SlotOwner, CheckpointedJob {
  private static final Logger LOG = LoggerFactory.getLogger(JobScheduler.class);

  private final JobId jobId;
  private final JobGraph jobGraph;
  private final RestartStrategy restartStrategy;
  private final ResourceManagerGateway resourceManager;
  private final MainThreadExecutor mainThread;
  private final Clock clock;
  private final JobManagerMetrics metricsOfJobs;
  private final JobMetricGroup jobMetrics;
  private final JobTermination termination;
  private final ExecutionGraph executionGraph;
  private final JobDetailsBuilder detailsBuilder;
  private final CheckpointCoordinator checkpoints;

  // the parts below hold the job's state; all of them run on the main thread only
  private final JobStatusTracker status;
  private final JobSlots slots;
  private final TaskCancellation cancellation;
  private final AttemptDeployment deployment;
  private final TaskStateUpdates taskStates;
  private final TaskMetricsReports taskMetrics;
  private final JobRestart restart;

  // main thread only: global failover
  private String failureCause;
  // suspended for the next leader to adopt: its slots stay taken on the TaskManagers
  private boolean tasksHandedOver;

  /**
   * @param blobKey the job jar in the blob store; empty when the job's classes are on the cluster's
   *     class path
   * @param termination makes the end of the job's run durable
   * @param journal records where each deployed attempt runs, for a later leader to adopt
   * @throws IllegalArgumentException when the job's operators cannot be serialized for deployment
   */
  public JobScheduler(
      JobId jobId,
      JobGraph jobGraph,
      String blobKey,
      RestartStrategy restartStrategy,
      SchedulerServices services,
      JobCheckpointing checkpointing,
      JobTermination termination,
      DeploymentJournal journal) {
    this.jobId = jobId;
    this.jobGraph = jobGraph;
    this.restartStrategy = restartStrategy;
    this.resourceManager = services.resourceManager();
    this.mainThread = services.mainThread();
    this.clock = services.clock();
    this.termination = termination;
    TaskDeploymentFactory deployments = new TaskDeploymentFactory(jobId, jobGraph, blobKey);
    this.metricsOfJobs = services.metrics();
    this.jobMetrics = metricsOfJobs.jobMetricGroup(jobId.toString(), jobGraph.name());
    this.slots =
        new JobSlots(
            jobId,
            jobGraph.name(),
            jobGraph.maxVertexParallelism(),
            resourceManager,
            this,
            mainThread);
    this.status = new JobStatusTracker(jobId, jobGraph.name(), mainThread, clock, metricsOfJobs);
    this.executionGraph = new ExecutionGraph(jobGraph, metricsOfJobs::taskStateChanged);
    this.executionGraph.newAttempt(status.startTime());
    this.detailsBuilder = new JobDetailsBuilder(jobId, jobGraph);
    CheckpointServices storage = checkpointing.services();
    this.checkpoints =
        new CheckpointCoordinator(
            jobId,
            checkpointing.settings(),
            storage.files(),
            storage.stores().completedCheckpointStore(jobId),
            storage.stores().checkpointIdCounter(jobId),
            executionGraph,
            mainThread,
            storage.io(),
            clock,
            jobMetrics,
            this);
    this.cancellation =
        new TaskCancellation(
            jobId, executionGraph, mainThread, clock, services.cancelTimeout(), this);
    this.deployment =
        new AttemptDeployment(
            this, executionGraph, deployments, slots, cancellation, journal, mainThread, clock);
    this.taskStates =
        new TaskStateUpdates(jobId, status, executionGraph, checkpoints, mainThread, clock, this);
    this.taskMetrics = new TaskMetricsReports(executionGraph, jobMetrics, mainThread);
    this.restart =
        new JobRestart(
            restartStrategy,
            checkpointing.initialRestore(),
            status,
            executionGraph,
            checkpoints,
            deployment,
            jobMetrics,
            mainThread,
            clock,
            this);
    status.announce();
  }

  JobId jobId() {
    return jobId;
  }

  String jobName() {
    return jobGraph.name();
  }

  /** The job's checkpoints: acknowledgements, savepoints, statistics and restore points. */
  public CheckpointCoordinator checkpoints() {
    return checkpoints;
  }

  @Override
  public boolean isRunning() {
    return status.is(JobStatus.RUNNING);
  }

  // ---------------------------------------------------------------- running the job

  /**
   * Moves the recovered job to RECONCILING: a new leader waits for the tasks the previous one
   * deployed to be reported, to adopt them ({@link #adopt}) or restart ({@link #startRunning}).
   */
  public void startReconciling() {
    mainThread.assertRunningInMainThread();
    LOG.info(
        "Reconciling job {} ({}): waiting for its TaskManagers to report its {} tasks",
        jobGraph.name(),
        jobId,
        jobGraph.numberOfSubtasks());
    status.transition(JobStatus.RECONCILING);
  }

  /** Whether the job waits for its tasks to be reported to a new leader. */
  public boolean isReconciling() {
    return status.is(JobStatus.RECONCILING);
  }

  /**
   * Takes over the tasks a previous leader deployed, RUNNING in their slots, without restarting
   * any: RECONCILING → RUNNING; checkpointing resumes past the previous leader's ids once those are
   * settled on the I/O executor (when they cannot be, the job fails over). The caller makes the job
   * the slots' owner and tells the TaskManagers. Main thread.
   *
   * @param attempt the adopted attempt's number
   * @param adopted one per subtask
   * @param slotsBySubtask per subtask index, its slot (slot sharing)
   * @return whether the job runs the adopted tasks; false when it was failed over or suspended
   *     instead
   */
  public boolean adopt(
      int attempt,
      List<ExecutionGraph.AdoptedExecution> adopted,
      List<AllocatedSlot> slotsBySubtask) {
    mainThread.assertRunningInMainThread();
    if (!isReconciling()) {
      return false;
    }
    executionGraph.adoptAttempt(attempt, adopted);
    slots.adopt(slotsBySubtask);
    status.transition(JobStatus.RUNNING);
    int adoptedAttempt = executionGraph.attempt();
    checkpoints
        .resumeAdopted()
        .whenCompleteAsync(
            (latest, error) -> {
              if (error != null) {
                checkpointResumeFailed(FailureCauses.unwrap(error), adoptedAttempt);
              }
            },
            mainThread);
    return true;
  }

  /** The adopted job's checkpoint ids could not be settled: it cannot checkpoint safely. */
  private void checkpointResumeFailed(Throwable error, int adoptedAttempt) {
    mainThread.assertRunningInMainThread();
    if (error.getCause() instanceof LeadershipLostException) {
      leadershipLost(error.getCause().getMessage());
    } else if (executionGraph.attempt() == adoptedAttempt) {
      handleGlobalFailure(FailureCauses.describe(error));
    }
  }

  /** New leaders adopted the job's running tasks {@code total} times so far: for its metric. */
  public void reconciliationsCounted(int total) {
    mainThread.assertRunningInMainThread();
    jobMetrics.setReconciliations(total);
  }

  /** Moves the created job to RUNNING; its tasks are scheduled by {@link #schedule}. */
  public void startRunning() {
    mainThread.assertRunningInMainThread();
    LOG.info(
        "Starting job {} ({}): {} tasks in {} slots, restart strategy {}",
        jobGraph.name(),
        jobId,
        jobGraph.numberOfSubtasks(),
        slots.size(),
        restartStrategy.describe());
    status.transition(JobStatus.RUNNING);
  }

  /**
   * Starts the periodic checkpoints and deploys the current attempt's tasks once all slots are
   * held.
   *
   * @param restorePoint what the tasks restore from; null: a fresh start
   */
  public void schedule(RestorePoint restorePoint) {
    mainThread.assertRunningInMainThread();
    if (restorePoint != null) {
      deployment.restoreFrom(restorePoint);
    }
    checkpoints.startPeriodic();
    deployment.scheduleCurrentAttempt();
  }

  /** Starts cancelling the job unless it is ending already. Main thread. */
  public void cancel() {
    mainThread.assertRunningInMainThread();
    if (status.status().isGloballyTerminal()
        || status.is(JobStatus.CANCELLING)
        || status.is(JobStatus.SUSPENDED)) {
      return;
    }
    LOG.info("Cancelling job {} ({})", jobGraph.name(), jobId);
    status.transition(JobStatus.CANCELLING);
    checkpoints.abortPending("job " + jobId + " is cancelling");
    restart.cancel();
    slots.withdrawRequest();
    cancellation.cancelAllTasks();
    cancellation.armTimeout();
    checkAllTerminal();
  }

  /**
   * Stops the job without waiting for its tasks and ends it SUSPENDED, unless it ended already; its
   * tasks are cancelled or left running for the next leader ({@code tasks}). Main thread.
   */
  public void suspend(String reason, SuspendedTasks tasks) {
    mainThread.assertRunningInMainThread();
    if (!status.status().isGloballyTerminal() && !status.is(JobStatus.SUSPENDED)) {
      LOG.info("Suspending job {} ({}): {}", jobGraph.name(), jobId, reason);
      suspendTasks(tasks);
    }
  }

  /** A store write was refused: another JobManager leads now. Main thread. */
  @Override
  public void leadershipLost(String reason) {
    mainThread.assertRunningInMainThread();
    if (!status.status().isGloballyTerminal() && !status.is(JobStatus.SUSPENDED)) {
      LOG.warn(
          "Suspending job {} ({}): this JobManager no longer leads ({})",
          jobGraph.name(),
          jobId,
          reason);
      suspendTasks(termination.tasksOnLeadershipLost());
    }
  }

  private void suspendTasks(SuspendedTasks tasks) {
    if (tasks == SuspendedTasks.HAND_OVER) {
      LOG.info(
          "Job {} ({}): its tasks keep running in their slots for the next leader to adopt",
          jobGraph.name(),
          jobId);
      tasksHandedOver = true;
    } else {
      cancellation.cancelAllTasks();
    }
    end(JobStatus.SUSPENDED);
  }

  /** A TaskManager reports a task's new state. Main thread. */
  public Acknowledgement updateTaskState(ExecutionStateUpdate update) {
    return taskStates.apply(update);
  }

  @Override
  public void taskManagerLost(TaskManagerId taskManagerId, Exception cause) {
    mainThread.tell(() -> failTasksOn(taskManagerId, cause));
  }

  @Override
  public void taskMetricsReported(TaskManagerId taskManagerId, List<TaskIoCounters> reported) {
    mainThread.tell(() -> taskMetrics.apply(reported));
  }

  // ---------------------------------------------------------------- global failover

  /** Fails the running job over; otherwise only checks whether the job can move on. Main thread. */
  @Override
  public void handleGlobalFailure(String cause) {
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
        jobGraph.name(),
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
      LOG.info("Job {} ({}) failure in full: {}", jobGraph.name(), jobId, cause);
    }
    status.transition(restart ? JobStatus.RESTARTING : JobStatus.FAILING);
    checkpoints.abortPending("job " + jobId + " failed over");
    stopAllTasks();
  }

  /**
   * Fails the running job for good, whatever restarts its strategy has left: restarting would do
   * harm (it cannot resume without replaying committed output). Its tasks are cancelled, and the
   * job ends FAILED with {@code cause}. Main thread.
   */
  public void failWithoutRestart(String cause) {
    mainThread.assertRunningInMainThread();
    if (!status.is(JobStatus.RUNNING)) {
      checkAllTerminal();
      return;
    }
    failureCause = cause;
    LOG.error("Job {} ({}) fails without a restart: {}", jobGraph.name(), jobId, cause);
    status.transition(JobStatus.FAILING);
    checkpoints.abortPending("job " + jobId + " fails");
    stopAllTasks();
  }

  private void stopAllTasks() {
    slots.withdrawRequest();
    cancellation.cancelAllTasks();
    cancellation.armTimeout();
    checkAllTerminal();
  }

  /** Fails the tasks on a lost TaskManager, and with them the job. */
  private void failTasksOn(TaskManagerId taskManagerId, Exception cause) {
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

  /** Once every task is terminal: restart after the backoff, or end the job. Main thread. */
  void checkAllTerminal() {
    mainThread.assertRunningInMainThread();
    if (!executionGraph.allTerminal()) {
      return;
    }
    switch (status.status()) {
      case RESTARTING -> {
        if (!restart.isScheduled()) {
          cancellation.disarmTimeout();
          restart.scheduleAfterBackoff();
        }
      }
      case FAILING -> end(JobStatus.FAILED);
      case CANCELLING -> end(JobStatus.CANCELED);
      default -> {}
    }
  }

  // ---------------------------------------------------------------- the end of the run

  /**
   * Ends the job's run in {@code terminal}. Main thread.
   *
   * <p>The order of the durable steps matters (see docs/architecture.md, failure semantics): the
   * result first, then the checkpoints shut down, then the job is released from high availability,
   * then its job graph removed. A leader that dies between two steps leaves a result, so the next
   * one finishes the clean-up instead of running the job again.
   */
  void end(JobStatus terminal) {
    mainThread.assertRunningInMainThread();
    if (terminal.isGloballyTerminal()) {
      ResultRecording recording =
          termination.recordResult(terminal, status.startTime(), failureCause);
      if (recording == ResultRecording.LEADERSHIP_LOST) {
        end(JobStatus.SUSPENDED);
        return;
      }
      if (recording == ResultRecording.RECORDED) {
        checkpoints.shutdown(terminal);
        // nothing resumes this job any more; a retained checkpoint is resumed with run -s
        termination.forgetJob();
      } else {
        // without a result the job stays in the job graph store with its checkpoints, so a later
        // leader resumes it rather than losing it
        checkpoints.shutdown(JobStatus.SUSPENDED);
      }
    } else {
      checkpoints.shutdown(terminal);
    }
    restart.cancel();
    cancellation.disarmTimeout();
    slots.withdrawRequest();
    status.transition(terminal);
    status.ended();
    slots.forgetAll();
    if (!tasksHandedOver) {
      resourceManager.releaseJob(jobId);
    }
    JobDetails finalDetails = details();
    executionGraph.retireAll();
    if (terminal == JobStatus.FAILED) {
      LOG.warn(
          "Job {} ({}) FAILED after {} restarts: {}",
          jobGraph.name(),
          jobId,
          restart.restarts(),
          FailureCauses.oneLine(failureCause));
    } else {
      LOG.info("Job {} ({}) is {}", jobGraph.name(), jobId, terminal);
    }
    termination.terminated(finalDetails);
  }

  // ---------------------------------------------------------------- details and metrics

  /** The job's details as REST and the CLI show them. Main thread. */
  public JobDetails details() {
    mainThread.assertRunningInMainThread();
    return detailsBuilder.build(
        executionGraph,
        status.status(),
        status.startTime(),
        status.endTime(),
        clock.millis(),
        failureCause,
        restart.restarts(),
        status.lastModification());
  }

  /** Forgets the metrics of a job that was never started (its submission was refused). */
  public void discardMetrics() {
    jobMetrics.close();
    metricsOfJobs.jobStatusChanged(JobStatus.CREATED, null);
  }

  /** Stops exporting the job's series (restarts, records); call when the job is forgotten. */
  public void removeMetrics() {
    jobMetrics.close();
  }
}
