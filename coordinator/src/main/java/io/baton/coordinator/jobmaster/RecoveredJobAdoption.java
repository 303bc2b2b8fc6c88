package io.baton.coordinator.jobmaster;

import io.baton.common.cluster.Acknowledgement;
import io.baton.common.cluster.RunningExecution;
import io.baton.common.concurrent.MainThreadExecutor;
import io.baton.common.deployment.AdoptTasksCommand;
import io.baton.common.deployment.CancelTaskCommand;
import io.baton.common.execution.ExecutionStateUpdate;
import io.baton.common.ids.AllocationId;
import io.baton.common.ids.ExecutionId;
import io.baton.common.ids.JobId;
import io.baton.common.ids.TaskManagerId;
import io.baton.coordinator.executiongraph.Execution;
import io.baton.coordinator.executiongraph.ExecutionGraph.AdoptedExecution;
import io.baton.coordinator.failover.FailureCauses;
import io.baton.coordinator.resourcemanager.AllocatedSlot;
import io.baton.coordinator.resourcemanager.ReportedExecutions;
import io.baton.coordinator.resourcemanager.ReportedExecutions.Report;
import io.baton.coordinator.resourcemanager.ResourceManagerGateway;
import io.baton.coordinator.rpc.TaskManagerGateway;
import io.baton.coordinator.scheduler.JobScheduler;
import io.baton.ha.DeploymentRecord;
import io.baton.ha.DeploymentRecord.RecordedExecution;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A recovered job's reconciliation, wired to the rest of the JobManager (jobmanager.failover
 * .reconcile): it listens to the tasks the TaskManagers report still running for the job, hands
 * them and the task states reported meanwhile to the {@link Reconciliation}, and carries out its
 * decision. Adopt: the execution graph takes the recorded attempt as it runs, the job holds and
 * owns the reported slots, each TaskManager is told with {@code AdoptTasks}, checkpointing resumes.
 * Restart: the reported slots are given back (their TaskManagers cancel the kept tasks) and the job
 * restarts from its latest completed checkpoint. A TaskManager lost while the job waits is handed
 * on too (its recorded tasks are gone), and a TaskManager that refuses {@code AdoptTasks} after the
 * decision makes the adopted job fail over to its latest completed checkpoint. Strangers
 * (executions the record does not name) are cancelled either way. Main thread of the job master
 * only.
 */
final class RecoveredJobAdoption {
  private static final Logger LOG = LoggerFactory.getLogger(RecoveredJobAdoption.class);

  private final JobId jobId;
  private final String jobName;
  private final int slotCount;
  private final MainThreadExecutor mainThread;
  private final JobReconciling settings;
  private final ResourceManagerGateway resourceManager;
  private final JobScheduler scheduler;
  private final Consumer<String> restart;
  private final Consumer<DeploymentRecord> adoptedAll;

  // the slot of each reported allocation, as the resource manager marked it the job's
  private final Map<AllocationId, AllocatedSlot> reportedSlots = new HashMap<>();
  private final Map<TaskManagerId, TaskManagerGateway> gateways = new HashMap<>();
  private Reconciliation reconciliation;
  private DeploymentRecord adopted;

  /**
   * @param slotCount how many slots the job holds (its largest parallelism)
   * @param restart told why, once, when the job restarts from its latest completed checkpoint
   *     instead of adopting its tasks
   * @param adoptedAll told once the job runs the adopted tasks of the record
   */
  RecoveredJobAdoption(
      JobId jobId,
      String jobName,
      int slotCount,
      MainThreadExecutor mainThread,
      JobReconciling settings,
      ResourceManagerGateway resourceManager,
      JobScheduler scheduler,
      Consumer<String> restart,
      Consumer<DeploymentRecord> adoptedAll) {
    this.jobId = jobId;
    this.jobName = jobName;
    this.slotCount = slotCount;
    this.mainThread = mainThread;
    this.settings = settings;
    this.resourceManager = resourceManager;
    this.scheduler = scheduler;
    this.restart = restart;
    this.adoptedAll = adoptedAll;
  }

  /** Waits for the tasks of {@code record} to be reported, up to the reconciliation timeout. */
  void start(DeploymentRecord record) {
    mainThread.assertRunningInMainThread();
    reconciliation =
        new Reconciliation(record, mainThread, settings.timeout(), this::decided, this::cancel);
    reconciliation.start();
    settings
        .adoption()
        .listen(
            jobId,
            new ReportedExecutions.Listener() {
              @Override
              public void reported(TaskManagerId taskManagerId, List<Report> reports) {
                mainThread.tell(() -> RecoveredJobAdoption.this.reported(taskManagerId, reports));
              }

              @Override
              public void taskManagerLost(TaskManagerId taskManagerId, String reason) {
                mainThread.tell(
                    () -> RecoveredJobAdoption.this.taskManagerLost(taskManagerId, reason));
              }
            });
  }

  /** Whether the job still waits for its tasks to be reported. */
  boolean waiting() {
    return reconciliation != null && !reconciliation.decided();
  }

  /**
   * A task state reported while the job waits: a task of the recorded attempt that ended makes the
   * job restart. Returns whether the update was taken (the scheduler must not see it: the execution
   * graph does not know these executions yet).
   */
  boolean taskStateReported(ExecutionStateUpdate update) {
    mainThread.assertRunningInMainThread();
    if (!waiting()) {
      return false;
    }
    if (Execution.isTerminal(update.state())) {
      reconciliation.ended(update.executionId(), update.state().name());
    }
    return true;
  }

  /** The job ended or the leadership did: no decision is wanted any more. */
  void stop() {
    mainThread.assertRunningInMainThread();
    if (reconciliation != null) {
      reconciliation.stop();
      settings.adoption().stopListening(jobId);
    }
  }

  private void reported(TaskManagerId taskManagerId, List<Report> reports) {
    mainThread.assertRunningInMainThread();
    if (reconciliation == null) {
      return;
    }
    List<RunningExecution> executions = new ArrayList<>();
    for (Report report : reports) {
      // a TaskManager that registered again reports new slot objects: the latest are held
      reportedSlots.put(report.slot().allocationId(), report.slot());
      gateways.put(report.taskManagerId(), report.slot().gateway());
      executions.add(report.execution());
    }
    boolean decidedBefore = reconciliation.decided();
    reconciliation.reported(taskManagerId, executions);
    if (decidedBefore) {
      // reported after the decision: only strangers, or slots no adopted task runs in
      releaseUnused();
    }
  }

  /** A TaskManager the job may wait for is gone: its slots with it. */
  private void taskManagerLost(TaskManagerId taskManagerId, String reason) {
    mainThread.assertRunningInMainThread();
    if (!waiting()) {
      return;
    }
    reportedSlots.values().removeIf(slot -> slot.taskManagerId().equals(taskManagerId));
    gateways.remove(taskManagerId);
    reconciliation.taskManagerLost(taskManagerId, reason);
  }

  private void decided(Reconciliation.Outcome outcome) {
    mainThread.assertRunningInMainThread();
    settings.adoption().stopListening(jobId);
    if (outcome instanceof Reconciliation.Adopt adopt) {
      adopt(adopt.record());
    } else if (outcome instanceof Reconciliation.Restart why) {
      restartInstead(why.reason());
    }
  }

  private void adopt(DeploymentRecord record) {
    List<AdoptedExecution> executions = new ArrayList<>();
    AllocatedSlot[] slots = new AllocatedSlot[slotCount];
    for (RecordedExecution e : record.executions()) {
      AllocatedSlot slot = reportedSlots.get(e.allocationId());
      executions.add(
          new AdoptedExecution(
              e.vertexId(), e.subtaskIndex(), e.executionId(), e.attempt(), e.startTime(), slot));
      if (e.subtaskIndex() < slotCount) {
        slots[e.subtaskIndex()] = slot;
      }
    }
    adopted = record;
    // owner first: a TaskManager lost from now on fails the adopted job over as any other
    settings.adoption().adoptSlots(jobId, scheduler);
    releaseUnused();
    if (!scheduler.adopt(record.attempt(), executions, Arrays.asList(slots))) {
      return;
    }
    Map<TaskManagerId, List<ExecutionId>> byTaskManager = new TreeMap<>();
    for (RecordedExecution e : record.executions()) {
      byTaskManager
          .computeIfAbsent(e.taskManagerId(), tm -> new ArrayList<>())
          .add(e.executionId());
    }
    byTaskManager.forEach(
        (taskManagerId, ids) ->
            gateways
                .get(taskManagerId)
                .adoptTasks(new AdoptTasksCommand(jobId, ids))
                .whenComplete((ack, error) -> adoptionAnswered(taskManagerId, ack, error)));
    LOG.info(
        "Job {} ({}) adopted {} tasks from {} (attempt {}, on {} TaskManager(s)); none restarted",
        jobName,
        jobId,
        record.executions().size(),
        record.describeLeader(),
        record.attempt(),
        byTaskManager.size());
    adoptedAll.accept(record);
  }

  /**
   * RPC thread. A TaskManager that refuses the adoption (a task ended meanwhile) or cannot be told
   * leaves the job counting on tasks that may not run, whose end may never be reported to this
   * leader: the job restarts from its latest completed checkpoint.
   */
  private void adoptionAnswered(TaskManagerId taskManagerId, Acknowledgement ack, Throwable error) {
    if (error == null && ack.ok()) {
      return;
    }
    String why =
        "TaskManager "
            + taskManagerId
            + " did not take the adoption of the job's tasks: "
            + (error != null ? FailureCauses.unwrap(error) : ack.error());
    mainThread.tell(() -> adoptionRefused(why));
  }

  private void adoptionRefused(String why) {
    mainThread.assertRunningInMainThread();
    if (!scheduler.isRunning()) {
      LOG.info("Job {} ({}): {}; it is no longer running anyway", jobName, jobId, why);
      return;
    }
    LOG.warn(
        "Job {} ({}): {}; restarting it from its latest completed checkpoint", jobName, jobId, why);
    scheduler.handleGlobalFailure(FailureCauses.describe(new IllegalStateException(why)));
  }

  private void restartInstead(String reason) {
    LOG.warn(
        "Job {} ({}) restarts from its latest completed checkpoint instead of adopting its tasks: {}",
        jobName,
        jobId,
        reason);
    if (!reportedSlots.isEmpty()) {
      // freeing a slot makes its TaskManager cancel the task it kept there
      resourceManager.releaseSlots(jobId, List.copyOf(reportedSlots.values()));
      reportedSlots.clear();
    }
    restart.accept(reason);
  }

  /** Gives back the reported slots no adopted task runs in (all of them without an adoption). */
  private void releaseUnused() {
    Set<AllocationId> used = new HashSet<>();
    if (adopted != null) {
      adopted.executions().forEach(e -> used.add(e.allocationId()));
    }
    List<AllocatedSlot> unused =
        reportedSlots.values().stream().filter(s -> !used.contains(s.allocationId())).toList();
    if (!unused.isEmpty()) {
      unused.forEach(s -> reportedSlots.remove(s.allocationId()));
      resourceManager.releaseSlots(jobId, unused);
    }
  }

  private void cancel(Reconciliation.Stranger stranger) {
    ExecutionId executionId = stranger.execution().executionId();
    LOG.info(
        "Cancelling execution {} of job {} on TaskManager {}: the job's deployment record does not"
            + " name it",
        executionId,
        jobId,
        stranger.taskManagerId());
    TaskManagerGateway gateway = gateways.get(stranger.taskManagerId());
    if (gateway != null) {
      gateway.cancelTask(new CancelTaskCommand(jobId, executionId));
    }
  }
}
