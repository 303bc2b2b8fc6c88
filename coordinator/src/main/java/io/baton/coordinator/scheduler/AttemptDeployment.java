package io.baton.coordinator.scheduler;

import io.baton.common.cluster.Acknowledgement;
import io.baton.common.concurrent.MainThreadExecutor;
import io.baton.common.deployment.TaskDeployment;
import io.baton.common.deployment.TaskRestore;
import io.baton.common.execution.ExecutionState;
import io.baton.common.ids.JobId;
import io.baton.common.ids.TaskManagerId;
import io.baton.coordinator.checkpoint.RestorePoint;
import io.baton.coordinator.checkpoint.StateAssignment;
import io.baton.coordinator.executiongraph.Execution;
import io.baton.coordinator.executiongraph.ExecutionGraph;
import io.baton.coordinator.executiongraph.TaskDeploymentFactory;
import io.baton.coordinator.failover.FailureCauses;
import io.baton.coordinator.resourcemanager.AllocatedSlot;
import io.baton.ha.DeploymentRecord;
import io.baton.ha.DeploymentRecord.RecordedExecution;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deploys the current attempt: once the job holds all its slots, submits every task (streaming jobs
 * schedule eagerly), with the state it restores from, tells the {@link DeploymentJournal} where
 * they run, and follows the TaskManagers' answers. Each TaskManager has at most {@link
 * #SUBMISSIONS_IN_FLIGHT} submissions unanswered; the rest wait here, in order, so that a
 * submission's deadline measures the deployment of that task and not the length of the
 * TaskManager's queue (a thousand tasks sent to one TaskManager at once outlasted the deadline).
 * Main thread only.
 */
final class AttemptDeployment {
  // one log category for everything the scheduler of a job does
  private static final Logger LOG = LoggerFactory.getLogger(JobScheduler.class);

  /** Submissions one TaskManager may have unanswered. */
  static final int SUBMISSIONS_IN_FLIGHT = 32;

  private final JobScheduler scheduler;
  private final JobId jobId;
  private final String jobName;
  private final ExecutionGraph executionGraph;
  private final TaskDeploymentFactory deployments;
  private final JobSlots slots;
  private final TaskCancellation cancellation;
  private final DeploymentJournal journal;
  private final MainThreadExecutor mainThread;
  private final Clock clock;

  // what the current attempt's tasks restore from; null: a fresh start
  private RestorePoint restorePoint;

  // per TaskManager: executions in DEPLOYING not submitted yet, and submissions unanswered
  private final Map<TaskManagerId, ArrayDeque<Execution>> waiting = new HashMap<>();
  private final Map<TaskManagerId, Integer> inFlight = new HashMap<>();

  /**
   * @param scheduler checks whether the job can move on when a task ended without having started,
   *     and fails the job over when a task could not be deployed
   */
  AttemptDeployment(
      JobScheduler scheduler,
      ExecutionGraph executionGraph,
      TaskDeploymentFactory deployments,
      JobSlots slots,
      TaskCancellation cancellation,
      DeploymentJournal journal,
      MainThreadExecutor mainThread,
      Clock clock) {
    this.scheduler = scheduler;
    this.jobId = scheduler.jobId();
    this.jobName = scheduler.jobName();
    this.executionGraph = executionGraph;
    this.deployments = deployments;
    this.slots = slots;
    this.cancellation = cancellation;
    this.journal = journal;
    this.mainThread = mainThread;
    this.clock = clock;
  }

  /** What the next deployed tasks restore from; null: a fresh start. */
  void restoreFrom(RestorePoint point) {
    mainThread.assertRunningInMainThread();
    restorePoint = point;
  }

  /** Schedules every task of the current attempt and deploys them once all slots are held. */
  void scheduleCurrentAttempt() {
    mainThread.assertRunningInMainThread();
    long now = clock.millis();
    for (Execution e : executionGraph.currentExecutions()) {
      e.transitionTo(ExecutionState.SCHEDULED, now);
    }
    slots.acquireAll(this::deployAll);
  }

  private void deployAll() {
    mainThread.assertRunningInMainThread();
    List<Execution> executions = executionGraph.currentExecutions();
    for (Execution e : executions) {
      e.assign(slots.get(e.vertex().subtaskIndex()));
    }
    long now = clock.millis();
    LOG.info(
        "Deploying {} tasks of job {} ({}), attempt {}",
        executions.size(),
        jobName,
        jobId,
        executionGraph.attempt());
    // before the submissions: a task may report RUNNING to a new leader as soon as it is submitted
    journal.deploying(record(executions, now));
    for (Execution e : executions) {
      e.transitionTo(ExecutionState.DEPLOYING, now);
      waiting.computeIfAbsent(e.slot().taskManagerId(), id -> new ArrayDeque<>()).add(e);
    }
    for (TaskManagerId taskManager : List.copyOf(waiting.keySet())) {
      submitWaiting(taskManager);
    }
  }

  /** Submits a TaskManager's waiting executions while it has room for more unanswered ones. */
  private void submitWaiting(TaskManagerId taskManager) {
    ArrayDeque<Execution> queue = waiting.get(taskManager);
    while (queue != null
        && !queue.isEmpty()
        && inFlight.getOrDefault(taskManager, 0) < SUBMISSIONS_IN_FLIGHT) {
      Execution e = queue.poll();
      if (executionGraph.current(e.id()) != e || e.isTerminal()) {
        continue;
      }
      if (e.state() == ExecutionState.CANCELING) {
        // cancelled before it was sent: its TaskManager never hears of it
        e.transitionTo(ExecutionState.CANCELED, clock.millis());
        scheduler.checkAllTerminal();
        continue;
      }
      submit(e, taskManager);
    }
    if (queue != null && queue.isEmpty()) {
      waiting.remove(taskManager);
    }
  }

  private void submit(Execution e, TaskManagerId taskManager) {
    TaskDeployment request = withRestoreState(deployments.create(e, executionGraph), e);
    AllocatedSlot slot = e.slot();
    LOG.info(
        "Deploying {} of job {} to {} at {}:{}",
        e,
        jobId,
        slot,
        slot.address().host(),
        slot.address().port());
    inFlight.merge(taskManager, 1, Integer::sum);
    slot.gateway()
        .submitTask(request)
        .whenCompleteAsync(
            (ack, error) -> {
              inFlight.merge(taskManager, -1, Integer::sum);
              onSubmitted(e, ack, error);
              submitWaiting(taskManager);
            },
            mainThread);
  }

  private DeploymentRecord record(List<Execution> executions, long now) {
    return new DeploymentRecord(
        jobId,
        executionGraph.attempt(),
        executions.stream()
            .map(
                e ->
                    new RecordedExecution(
                        e.vertex().jobVertex().id(),
                        e.vertex().subtaskIndex(),
                        e.id(),
                        e.attempt(),
                        e.slot().taskManagerId(),
                        e.slot().allocationId(),
                        e.slot().slotIndex(),
                        now))
            .toList());
  }

  private TaskDeployment withRestoreState(TaskDeployment request, Execution e) {
    if (restorePoint == null) {
      return request;
    }
    return request.withRestore(
        new TaskRestore(
            restorePoint.metadata().checkpointId(),
            StateAssignment.forSubtask(
                restorePoint.metadata(), e.vertex().jobVertex(), e.vertex().subtaskIndex()),
            restorePoint.directory().toString()));
  }

  private void onSubmitted(Execution e, Acknowledgement ack, Throwable error) {
    mainThread.assertRunningInMainThread();
    if (executionGraph.current(e.id()) != e || e.isTerminal()) {
      return;
    }
    if (error == null && ack.ok()) {
      e.markSubmitAcknowledged();
      if (e.state() == ExecutionState.CANCELING) {
        // cancelled while the submission was under way: the TaskManager knows the task only now
        cancellation.sendCancel(e);
      }
      return;
    }
    String reason = error != null ? String.valueOf(FailureCauses.unwrap(error)) : ack.error();
    if (e.state() == ExecutionState.CANCELING) {
      // it never started; nothing to wait for
      e.transitionTo(ExecutionState.CANCELED, clock.millis());
      scheduler.checkAllTerminal();
      return;
    }
    String cause =
        FailureCauses.describe(
            new TaskDeploymentException(
                "could not deploy " + e + " to " + e.slot() + ": " + reason, error));
    LOG.warn("Deploying {} of job {} failed: {}", e, jobId, reason);
    e.markFailed(cause, clock.millis());
    scheduler.handleGlobalFailure(cause);
  }
}
