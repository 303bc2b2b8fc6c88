package io.baton.coordinator.jobmaster;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.api.graph.JobGraph;
import io.baton.common.cluster.Acknowledgement;
import io.baton.common.cluster.RunningExecution;
import io.baton.common.config.Configuration;
import io.baton.common.deployment.CancelTaskCommand;
import io.baton.common.deployment.TaskDeployment;
import io.baton.common.execution.ExecutionState;
import io.baton.common.execution.ExecutionStateUpdate;
import io.baton.common.ids.AllocationId;
import io.baton.common.ids.ExecutionId;
import io.baton.common.ids.JobId;
import io.baton.common.ids.TaskManagerId;
import io.baton.coordinator.JobManagerTestCluster;
import io.baton.coordinator.ManualClock;
import io.baton.coordinator.ManualMainThreadExecutor;
import io.baton.coordinator.checkpoint.CheckpointServices;
import io.baton.coordinator.checkpoint.CheckpointSettings;
import io.baton.coordinator.failover.RestartStrategy;
import io.baton.coordinator.failover.RestartStrategyFactory;
import io.baton.coordinator.metrics.JobManagerMetrics;
import io.baton.coordinator.resourcemanager.AllocatedSlot;
import io.baton.coordinator.resourcemanager.ReportedExecutions.Report;
import io.baton.coordinator.resourcemanager.TaskManagerLostException;
import io.baton.coordinator.rpc.RecordingTaskManagerGateway;
import io.baton.coordinator.scheduler.JobCheckpointing;
import io.baton.coordinator.scheduler.SchedulerServices;
import io.baton.coordinator.status.JobDetails;
import io.baton.coordinator.status.JobStatus;
import io.baton.coordinator.status.SubtaskDetails;
import io.baton.ha.DeploymentRecord;
import io.baton.ha.DeploymentRecord.RecordedExecution;
import io.baton.ha.LeaderStores;
import io.baton.ha.factory.HighAvailabilityServicesFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The job master's failover and cancellation, with time and the TaskManagers under the test's
 * control.
 */
class JobMasterTest {
  private static final Duration CANCEL_TIMEOUT = Duration.ofSeconds(30);

  private final ManualClock clock = new ManualClock(1_000);
  private final ManualMainThreadExecutor mainThread = new ManualMainThreadExecutor(clock);
  private final JobId jobId = JobId.random();
  private final FakeResourceManager resourceManager = new FakeResourceManager();
  private final RecordingTaskManagerGateway tm1 =
      new RecordingTaskManagerGateway(new TaskManagerId("1".repeat(32)));
  private final RecordingTaskManagerGateway tm2 =
      new RecordingTaskManagerGateway(new TaskManagerId("2".repeat(32)));
  private final LeaderStores stores = HighAvailabilityServicesFactory.inMemoryStores();
  private JobMaster jobMaster;

  private void startJob(Map<String, String> restartConfig) throws Exception {
    startJob(restartConfig, 0, JobReconciling.disabled());
  }

  private void startJob(
      Map<String, String> restartConfig, int recoveries, JobReconciling reconciling)
      throws Exception {
    JobGraph graph = JobManagerTestCluster.wordCount();
    RestartStrategy strategy =
        new RestartStrategyFactory(clock, new Random(1))
            .create(Configuration.fromMap(restartConfig), Map.of());
    jobMaster =
        new JobMaster(
            jobId,
            new JobSubmission(graph, Optional.empty(), Optional.empty()),
            strategy,
            new SchedulerServices(
                resourceManager,
                mainThread,
                clock,
                CANCEL_TIMEOUT,
                new JobManagerMetrics(new SimpleMeterRegistry())),
            new JobCheckpointing(
                CheckpointServices.direct(),
                CheckpointSettings.of(new Configuration(), Map.of()),
                Optional.empty()),
            new JobLifecycleStores(stores),
            recoveries,
            reconciling);
    jobMaster.start();
    mainThread.runAll();
  }

  private static AllocatedSlot slot(RecordingTaskManagerGateway tm, int index) {
    return new AllocatedSlot(AllocationId.random(), null, tm.id, index, tm);
  }

  /** Grants the latest request: slot i on tm1 for even i, on tm2 for odd. */
  private void grantLatest() {
    int count = resourceManager.requestedCounts.get(resourceManager.requestedCounts.size() - 1);
    List<AllocatedSlot> slots = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      slots.add(slot(i % 2 == 0 ? tm1 : tm2, i));
    }
    resourceManager.requests.get(resourceManager.requests.size() - 1).complete(slots);
    mainThread.runAll();
  }

  private List<TaskDeployment> submitted() {
    List<TaskDeployment> all = new ArrayList<>(tm1.submitted);
    all.addAll(tm2.submitted);
    return all;
  }

  private List<CancelTaskCommand> cancelled() {
    List<CancelTaskCommand> all = new ArrayList<>(tm1.cancelled);
    all.addAll(tm2.cancelled);
    return all;
  }

  private Acknowledgement report(TaskDeployment task, ExecutionState state, String cause)
      throws Exception {
    CompletableFuture<Acknowledgement> ack =
        jobMaster.updateTaskState(
            new ExecutionStateUpdate(
                jobId, task.executionId(), state, cause, TaskManagerId.random(), Optional.empty()));
    mainThread.runAll();
    return ack.get();
  }

  private void reportAll(List<TaskDeployment> tasks, ExecutionState state) throws Exception {
    for (TaskDeployment t : tasks) {
      report(t, state, "");
    }
  }

  private JobDetails details() throws Exception {
    CompletableFuture<JobDetails> f = jobMaster.requestDetails();
    mainThread.runAll();
    return f.get();
  }

  private static final Map<String, String> FIXED_DELAY =
      Map.of(
          "restart-strategy.type", "fixed-delay",
          "restart-strategy.fixed-delay.attempts", "3",
          "restart-strategy.fixed-delay.delay", "5 s");

  @Test
  void tasksWaitScheduledUntilSlotsArrive() throws Exception {
    startJob(Map.of());

    assertThat(details().status()).isEqualTo(JobStatus.RUNNING);
    assertThat(details().taskCounts().get(ExecutionState.SCHEDULED)).isEqualTo(8);
    assertThat(resourceManager.requestedCounts).containsExactly(3);

    grantLatest();

    assertThat(submitted()).hasSize(8);
    assertThat(details().taskCounts().get(ExecutionState.DEPLOYING)).isEqualTo(8);
    reportAll(submitted(), ExecutionState.RUNNING);
    assertThat(details().taskCounts().get(ExecutionState.RUNNING)).isEqualTo(8);
  }

  @Test
  void theRestartWaitsForTheBackoff() throws Exception {
    startJob(FIXED_DELAY);
    grantLatest();
    List<TaskDeployment> first = submitted();
    reportAll(first, ExecutionState.RUNNING);

    report(first.get(0), ExecutionState.FAILED, "java.lang.IllegalStateException: bad record");
    assertThat(details().status()).isEqualTo(JobStatus.RESTARTING);
    assertThat(cancelled()).hasSize(7);
    reportAll(first.subList(1, 8), ExecutionState.CANCELED);

    mainThread.advance(Duration.ofMillis(4_999));
    assertThat(submitted()).hasSize(8);
    mainThread.advance(Duration.ofMillis(1));

    // the slots were kept: the new attempt deploys at once, without a new slot request
    assertThat(resourceManager.requestedCounts).containsExactly(3);
    assertThat(submitted()).hasSize(16);
    JobDetails d = details();
    assertThat(d.status()).isEqualTo(JobStatus.RUNNING);
    assertThat(d.restarts()).isEqualTo(1);
    assertThat(d.failureCause()).isEqualTo("java.lang.IllegalStateException: bad record");
  }

  @Test
  void reportsOfAnEarlierAttemptAreRefused() throws Exception {
    startJob(FIXED_DELAY);
    grantLatest();
    List<TaskDeployment> first = submitted();
    report(first.get(0), ExecutionState.FAILED, "java.lang.RuntimeException: x");
    reportAll(first.subList(1, 8), ExecutionState.CANCELED);
    mainThread.advance(Duration.ofSeconds(5));

    Acknowledgement late =
        report(first.get(3), ExecutionState.FAILED, "java.lang.RuntimeException: late");

    assertThat(late.ok()).isFalse();
    assertThat(late.error()).contains("not a current task");
    assertThat(details().status()).isEqualTo(JobStatus.RUNNING);
    assertThat(details().restarts()).isEqualTo(1);
  }

  @Test
  void tasksThatIgnoreCancellationAreGivenUpAfterTheTimeout() throws Exception {
    startJob(Map.of());
    grantLatest();
    reportAll(submitted(), ExecutionState.RUNNING);

    CompletableFuture<Void> cancel = jobMaster.cancel();
    mainThread.runAll();
    assertThat(cancel).isCompleted();
    assertThat(details().status()).isEqualTo(JobStatus.CANCELLING);
    assertThat(details().taskCounts().get(ExecutionState.CANCELING)).isEqualTo(8);

    mainThread.advance(CANCEL_TIMEOUT.minusMillis(1));
    assertThat(details().status()).isEqualTo(JobStatus.CANCELLING);
    mainThread.advance(Duration.ofMillis(1));

    assertThat(details().status()).isEqualTo(JobStatus.CANCELED);
    assertThat(details().taskCounts().get(ExecutionState.CANCELED)).isEqualTo(8);
    assertThat(resourceManager.released).containsExactly(jobId);
    assertThat(jobMaster.terminationFuture()).isCompleted();
  }

  @Test
  void aRejectedSubmissionFailsTheJob() throws Exception {
    tm2.submitAnswer = Acknowledgement.refused("slot 1 is not free");
    startJob(Map.of());

    grantLatest();
    reportAll(tm1.submitted, ExecutionState.RUNNING);
    reportAll(tm1.submitted, ExecutionState.CANCELED);

    JobDetails d = details();
    assertThat(d.status()).isEqualTo(JobStatus.FAILED);
    assertThat(d.failureCause())
        .startsWith("io.baton.coordinator.scheduler.TaskDeploymentException: could not deploy")
        .contains("slot 1 is not free");
    assertThat(resourceManager.released).containsExactly(jobId);
  }

  @Test
  void aTaskCancelledWhileBeingDeployedIsCancelledOnceItsTaskManagerHasIt() throws Exception {
    tm1.holdSubmitAnswers = true;
    startJob(Map.of());
    grantLatest();

    jobMaster.cancel();
    mainThread.runAll();
    // tm2 acknowledged its tasks and was told to cancel them; tm1 has not answered yet
    assertThat(tm2.cancelled).hasSize(tm2.submitted.size());
    assertThat(tm1.cancelled).isEmpty();

    tm1.submitAnswers.forEach(a -> a.complete(Acknowledgement.accepted()));
    mainThread.runAll();

    assertThat(tm1.cancelled)
        .extracting(CancelTaskCommand::executionId)
        .containsExactlyElementsOf(
            tm1.submitted.stream().map(TaskDeployment::executionId).toList());
  }

  @Test
  void aLostTaskManagerFailsItsTasksAndTheJobAsksForReplacementSlots() throws Exception {
    startJob(FIXED_DELAY);
    grantLatest();
    reportAll(submitted(), ExecutionState.RUNNING);

    resourceManager.owner.taskManagerLost(tm2.id, new TaskManagerLostException("tm2 went silent"));
    mainThread.runAll();

    JobDetails d = details();
    assertThat(d.status()).isEqualTo(JobStatus.RESTARTING);
    assertThat(d.failureCause())
        .startsWith(
            "io.baton.coordinator.resourcemanager.TaskManagerLostException: tm2 went silent");
    // the tasks on tm2 failed with it; only tm1's are asked to cancel
    assertThat(d.taskCounts().get(ExecutionState.FAILED)).isEqualTo(tm2.submitted.size());
    assertThat(tm2.cancelled).isEmpty();
    assertThat(tm1.cancelled).hasSize(tm1.submitted.size());

    reportAll(tm1.submitted, ExecutionState.CANCELED);
    mainThread.advance(Duration.ofSeconds(5));

    // slot 1 lived on tm2: one slot is asked for again before the new attempt deploys
    assertThat(resourceManager.requestedCounts).containsExactly(3, 1);
    assertThat(details().taskCounts().get(ExecutionState.SCHEDULED)).isEqualTo(8);
  }

  @Test
  void eachDeployedAttemptIsRecordedForTheNextLeaderAndTheRecordGoesWithTheJob() throws Exception {
    startJob(FIXED_DELAY);
    assertThat(stores.deploymentRecordStore().get(jobId)).as("nothing deployed yet").isEmpty();
    grantLatest();
    assertThat(recordedExecutions(0)).isEqualTo(deployed(submitted(), 1_000));
    List<TaskDeployment> first = submitted();
    reportAll(first, ExecutionState.RUNNING);

    report(first.get(0), ExecutionState.FAILED, "java.lang.IllegalStateException: bad record");
    reportAll(first.subList(1, 8), ExecutionState.CANCELED);
    mainThread.advance(Duration.ofSeconds(5));

    List<TaskDeployment> second = submitted().stream().filter(t -> !first.contains(t)).toList();
    assertThat(second).hasSize(8);
    assertThat(recordedExecutions(1)).isEqualTo(deployed(second, 6_000));

    jobMaster.cancel();
    mainThread.runAll();
    reportAll(second, ExecutionState.CANCELED);
    assertThat(details().status()).isEqualTo(JobStatus.CANCELED);
    assertThat(stores.deploymentRecordStore().get(jobId)).isEmpty();
  }

  /** The recorded executions, checking that the record is of {@code attempt}. */
  private List<RecordedExecution> recordedExecutions(int attempt) {
    DeploymentRecord record = stores.deploymentRecordStore().get(jobId).orElseThrow();
    assertThat(record.jobId()).isEqualTo(jobId);
    assertThat(record.attempt()).isEqualTo(attempt);
    return record.executions().stream().sorted(JobMasterTest::bySubtask).toList();
  }

  /** What the record should say of {@code tasks}, submitted at {@code startTime}. */
  private List<RecordedExecution> deployed(List<TaskDeployment> tasks, long startTime) {
    return tasks.stream()
        .map(
            t ->
                new RecordedExecution(
                    t.vertexId(),
                    t.subtaskIndex(),
                    t.executionId(),
                    t.attemptNumber(),
                    t.subtaskIndex() % 2 == 0 ? tm1.id : tm2.id,
                    t.allocationId(),
                    t.slotIndex(),
                    startTime))
        .sorted(JobMasterTest::bySubtask)
        .toList();
  }

  private static int bySubtask(RecordedExecution a, RecordedExecution b) {
    return a.vertexId() != b.vertexId()
        ? Integer.compare(a.vertexId(), b.vertexId())
        : Integer.compare(a.subtaskIndex(), b.subtaskIndex());
  }

  // ---------------------------------------------------------------- reconciliation

  private static final Duration RECONCILE_TIMEOUT = Duration.ofSeconds(10);

  private final FakeAdoption adoption = new FakeAdoption();
  private final AllocationId[] allocations = {
    AllocationId.random(), AllocationId.random(), AllocationId.random()
  };

  /**
   * Records attempt 2 of the job as a previous leader deployed it (subtask i in slot i, on tm1 for
   * even i, on tm2 for odd), started at 500, and recovers the job with reconciliation on.
   */
  private DeploymentRecord recordAndRecover() throws Exception {
    return recordAndRecover(Map.of());
  }

  private DeploymentRecord recordAndRecover(Map<String, String> restartConfig) throws Exception {
    JobGraph graph = JobManagerTestCluster.wordCount();
    List<RecordedExecution> executions = new ArrayList<>();
    graph
        .vertices()
        .forEach(
            v -> {
              for (int i = 0; i < v.parallelism(); i++) {
                executions.add(
                    new RecordedExecution(
                        v.id(),
                        i,
                        ExecutionId.random(),
                        2,
                        i % 2 == 0 ? tm1.id : tm2.id,
                        allocations[i],
                        i,
                        500));
              }
            });
    DeploymentRecord record = new DeploymentRecord(jobId, 2, executions);
    stores.deploymentRecordStore().put(record);
    startJob(restartConfig, 1, new JobReconciling(true, RECONCILE_TIMEOUT, adoption));
    return record;
  }

  /**
   * The TaskManagers of {@code executions} register reporting them running, each in its recorded
   * slot, with {@code more} (one registration per TaskManager).
   */
  private void reportRunning(List<RecordedExecution> executions, Report... more) {
    Map<TaskManagerId, List<Report>> byTaskManager = new java.util.TreeMap<>();
    for (RecordedExecution e : executions) {
      RecordingTaskManagerGateway tm = e.taskManagerId().equals(tm1.id) ? tm1 : tm2;
      byTaskManager
          .computeIfAbsent(tm.id, id -> new ArrayList<>())
          .add(
              new Report(
                  tm.id,
                  new RunningExecution(
                      jobId, e.executionId(), e.attempt(), e.allocationId(), e.slotIndex()),
                  new AllocatedSlot(e.allocationId(), jobId, tm.id, e.slotIndex(), tm)));
    }
    for (Report r : more) {
      byTaskManager.computeIfAbsent(r.taskManagerId(), id -> new ArrayList<>()).add(r);
    }
    byTaskManager.forEach(adoption.listener::reported);
    mainThread.runAll();
  }

  @Test
  void recoveredJobAdoptsItsReportedTasksWithoutRestartingAny() throws Exception {
    DeploymentRecord record = recordAndRecover();
    assertThat(details().status()).isEqualTo(JobStatus.RECONCILING);
    assertThat(resourceManager.requestedCounts).isEmpty();

    reportRunning(record.executions());

    JobDetails d = details();
    assertThat(d.status()).isEqualTo(JobStatus.RUNNING);
    assertThat(d.restarts()).isZero();
    assertThat(d.taskCounts().get(ExecutionState.RUNNING)).isEqualTo(8);
    List<SubtaskDetails> subtasks =
        d.vertices().stream().flatMap(v -> v.subtasks().stream()).toList();
    assertThat(subtasks).hasSize(8).allMatch(s -> s.attempt() == 2);
    assertThat(subtasks).allMatch(s -> s.timestamps().get(ExecutionState.RUNNING) == 500);
    // nothing deployed, nothing asked for, nothing given back: the tasks run where they ran
    assertThat(submitted()).isEmpty();
    assertThat(resourceManager.requestedCounts).isEmpty();
    assertThat(resourceManager.releasedSlots).isEmpty();
    assertThat(adoption.owner).isNotNull();
    assertThat(adoption.stopped).isTrue();
    List<ExecutionId> adopted = new ArrayList<>();
    tm1.adopted.forEach(c -> adopted.addAll(c.executionIds()));
    tm2.adopted.forEach(c -> adopted.addAll(c.executionIds()));
    assertThat(adopted)
        .containsExactlyInAnyOrderElementsOf(
            record.executions().stream().map(RecordedExecution::executionId).toList());
    // a report of an adopted task now reaches the execution graph
    RecordedExecution first = record.executions().get(0);
    CompletableFuture<Acknowledgement> ack =
        jobMaster.updateTaskState(
            new ExecutionStateUpdate(
                jobId,
                first.executionId(),
                ExecutionState.FAILED,
                "java.lang.IllegalStateException: bad record",
                first.taskManagerId(),
                Optional.empty()));
    mainThread.runAll();
    assertThat(ack.get().ok()).isTrue();
    // without a restart strategy the failure fails the job: it reached the execution graph
    assertThat(details().status()).isEqualTo(JobStatus.FAILING);
  }

  @Test
  void recoveredJobRestartsWhenNotEveryTaskIsReportedInTime() throws Exception {
    DeploymentRecord record = recordAndRecover();
    List<RecordedExecution> onTm1 =
        record.executions().stream().filter(e -> e.taskManagerId().equals(tm1.id)).toList();
    reportRunning(onTm1);
    assertThat(details().status()).isEqualTo(JobStatus.RECONCILING);

    mainThread.advance(RECONCILE_TIMEOUT);
    mainThread.runAll();

    // the kept tasks' slots go back (their TaskManager cancels them), then today's recovery
    assertThat(resourceManager.releasedSlots)
        .extracting(AllocatedSlot::allocationId)
        .containsExactlyInAnyOrder(allocations[0], allocations[2]);
    assertThat(details().status()).isEqualTo(JobStatus.RUNNING);
    assertThat(adoption.owner).isNull();
    assertThat(tm1.adopted).isEmpty();
    assertThat(resourceManager.requestedCounts).containsExactly(3);
    grantLatest();
    assertThat(submitted()).hasSize(8);
    assertThat(submitted())
        .noneMatch(
            t ->
                record.executions().stream()
                    .anyMatch(e -> e.executionId().equals(t.executionId())));
  }

  @Test
  void recoveredJobRestartsWhenARecordedTaskEndedMeanwhile() throws Exception {
    DeploymentRecord record = recordAndRecover();
    RecordedExecution failed = record.executions().get(3);
    CompletableFuture<Acknowledgement> ack =
        jobMaster.updateTaskState(
            new ExecutionStateUpdate(
                jobId,
                failed.executionId(),
                ExecutionState.FAILED,
                "java.io.IOException: disk gone",
                failed.taskManagerId(),
                Optional.empty()));
    mainThread.runAll();

    assertThat(ack.get().ok()).isTrue();
    assertThat(details().status()).isEqualTo(JobStatus.RUNNING);
    assertThat(resourceManager.requestedCounts).containsExactly(3);
    // the rest reported late are not adopted: their slots go back
    reportRunning(record.executions());
    assertThat(resourceManager.releasedSlots).hasSize(3);
    assertThat(tm1.adopted).isEmpty();
    assertThat(tm2.adopted).isEmpty();
  }

  @Test
  void recoveredJobRestartsAtOnceWhenATaskManagerItWaitsForIsLost() throws Exception {
    DeploymentRecord record = recordAndRecover();
    reportRunning(
        record.executions().stream().filter(e -> e.taskManagerId().equals(tm1.id)).toList());

    adoption.listener.taskManagerLost(tm2.id, "TaskManager " + tm2.id + " is unreachable");
    mainThread.runAll();

    // no wait for the timeout: tm1's kept tasks are given back and the job recovers now
    assertThat(details().status()).isEqualTo(JobStatus.RUNNING);
    assertThat(resourceManager.releasedSlots)
        .extracting(AllocatedSlot::allocationId)
        .containsExactlyInAnyOrder(allocations[0], allocations[2]);
    assertThat(resourceManager.requestedCounts).containsExactly(3);
    assertThat(adoption.stopped).isTrue();
    assertThat(tm1.adopted).isEmpty();
  }

  @Test
  void adoptedJobRestartsFromItsCheckpointWhenATaskManagerRefusesTheAdoption() throws Exception {
    DeploymentRecord record = recordAndRecover(FIXED_DELAY);
    tm2.adoptAnswer =
        Acknowledgement.refused(
            "job "
                + jobId
                + " has no running task here for execution(s) [x] (ended, or never here)");

    reportRunning(record.executions());

    JobDetails d = details();
    assertThat(tm1.adopted).hasSize(1);
    assertThat(tm2.adopted).hasSize(1);
    assertThat(d.status()).isEqualTo(JobStatus.RESTARTING);
    assertThat(d.failureCause())
        .contains("TaskManager " + tm2.id + " did not take the adoption of the job's tasks")
        .contains("has no running task here");
    // the adopted tasks are cancelled before the restart
    assertThat(cancelled()).hasSize(8);
  }

  @Test
  void executionsTheRecordDoesNotNameAreCancelled() throws Exception {
    DeploymentRecord record = recordAndRecover();
    ExecutionId stranger = ExecutionId.random();
    AllocationId strangerSlot = AllocationId.random();
    reportRunning(
        record.executions(),
        new Report(
            tm2.id,
            new RunningExecution(jobId, stranger, 1, strangerSlot, 3),
            new AllocatedSlot(strangerSlot, jobId, tm2.id, 3, tm2)));

    assertThat(tm2.cancelled).containsExactly(new CancelTaskCommand(jobId, stranger));
    assertThat(details().status()).isEqualTo(JobStatus.RUNNING);
    assertThat(resourceManager.releasedSlots)
        .extracting(AllocatedSlot::allocationId)
        .containsExactly(strangerSlot);
  }

  @Test
  void recoveredJobWithoutDeploymentRecordRecoversAsBefore() throws Exception {
    startJob(Map.of(), 1, new JobReconciling(true, RECONCILE_TIMEOUT, adoption));

    assertThat(details().status()).isEqualTo(JobStatus.RUNNING);
    assertThat(adoption.listener).isNull();
    assertThat(resourceManager.requestedCounts).containsExactly(3);
  }
}
