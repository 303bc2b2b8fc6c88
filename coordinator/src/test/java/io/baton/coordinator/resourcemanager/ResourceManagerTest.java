package io.baton.coordinator.resourcemanager;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.common.cluster.Acknowledgement;
import io.baton.common.cluster.FreeSlotCommand;
import io.baton.common.cluster.HeartbeatAnswer;
import io.baton.common.cluster.HeartbeatReport;
import io.baton.common.cluster.RegistrationResponse;
import io.baton.common.cluster.RpcAddress;
import io.baton.common.cluster.RunningExecution;
import io.baton.common.cluster.TaskManagerRegistration;
import io.baton.common.deployment.CancelTaskCommand;
import io.baton.common.deployment.TaskDeployment;
import io.baton.common.execution.TaskIoCounters;
import io.baton.common.ids.AllocationId;
import io.baton.common.ids.ExecutionId;
import io.baton.common.ids.JobId;
import io.baton.common.ids.TaskManagerId;
import io.baton.coordinator.ManualClock;
import io.baton.coordinator.ManualMainThreadExecutor;
import io.baton.coordinator.metrics.ResourceManagerMetrics;
import io.baton.coordinator.rpc.TaskManagerGateway;
import io.grpc.Status;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ResourceManagerTest {
  private static final Duration INTERVAL = Duration.ofSeconds(1);
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final Duration SLOT_TIMEOUT = Duration.ofSeconds(30);

  private final ManualClock clock = new ManualClock(0);
  private final ManualMainThreadExecutor mainThread = new ManualMainThreadExecutor(clock);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<FreeSlotCommand> freed = new ArrayList<>();
  // how submitTask and cancelTask fail per TaskManager; absent: they succeed
  private final Map<TaskManagerId, Status> failingCalls = new HashMap<>();
  private final ResourceManager rm =
      new ResourceManager(
          mainThread,
          clock,
          "token-1",
          new ResourceManagerSettings(INTERVAL, TIMEOUT, SLOT_TIMEOUT),
          RecordingGateway::new,
          new ResourceManagerMetrics(registry));

  {
    rm.start();
    mainThread.runAll();
  }

  /** Records FreeSlot calls; submitTask and cancelTask answer as {@code failingCalls} says. */
  private final class RecordingGateway implements TaskManagerGateway {
    private final TaskManagerId id;
    private final RpcAddress address;

    RecordingGateway(TaskManagerId id, RpcAddress address) {
      this.id = id;
      this.address = address;
    }

    @Override
    public TaskManagerId taskManagerId() {
      return id;
    }

    @Override
    public RpcAddress address() {
      return address;
    }

    @Override
    public CompletableFuture<Acknowledgement> submitTask(TaskDeployment request) {
      return answer();
    }

    @Override
    public CompletableFuture<Acknowledgement> cancelTask(CancelTaskCommand request) {
      return answer();
    }

    private CompletableFuture<Acknowledgement> answer() {
      Status failure = failingCalls.get(id);
      return failure == null
          ? CompletableFuture.completedFuture(Acknowledgement.accepted())
          : CompletableFuture.failedFuture(failure.asRuntimeException());
    }

    @Override
    public CompletableFuture<Acknowledgement> triggerCheckpoint(
        io.baton.common.checkpoint.CheckpointTrigger request) {
      return CompletableFuture.completedFuture(Acknowledgement.accepted());
    }

    @Override
    public CompletableFuture<Acknowledgement> notifyCheckpointComplete(
        io.baton.common.checkpoint.CheckpointNotice notification) {
      return CompletableFuture.completedFuture(Acknowledgement.accepted());
    }

    @Override
    public CompletableFuture<Acknowledgement> adoptTasks(
        io.baton.common.deployment.AdoptTasksCommand command) {
      return CompletableFuture.completedFuture(Acknowledgement.accepted());
    }

    @Override
    public CompletableFuture<Acknowledgement> notifyCheckpointAborted(
        io.baton.common.checkpoint.CheckpointNotice notification) {
      return CompletableFuture.completedFuture(Acknowledgement.accepted());
    }

    @Override
    public CompletableFuture<Acknowledgement> freeSlot(FreeSlotCommand request) {
      freed.add(request);
      return CompletableFuture.completedFuture(Acknowledgement.accepted());
    }

    @Override
    public void close() {}
  }

  /** Records what the resource manager tells a job. */
  private static final class RecordingOwner implements SlotOwner {
    final List<TaskManagerId> lost = new ArrayList<>();
    final List<Exception> causes = new ArrayList<>();
    final List<TaskIoCounters> metrics = new ArrayList<>();

    @Override
    public void taskManagerLost(TaskManagerId taskManagerId, Exception cause) {
      lost.add(taskManagerId);
      causes.add(cause);
    }

    @Override
    public void taskMetricsReported(TaskManagerId taskManagerId, List<TaskIoCounters> reported) {
      metrics.addAll(reported);
    }
  }

  private <T> T await(CompletableFuture<T> f) throws Exception {
    mainThread.runAll();
    assertThat(f).isDone();
    return f.get();
  }

  private final Map<TaskManagerId, String> registrations = new HashMap<>();

  /** Moves time forward while every registered TaskManager keeps heartbeating. */
  private void advanceKeepingAlive(Duration d) throws Exception {
    for (long ms = 0; ms < d.toMillis(); ms += INTERVAL.toMillis()) {
      mainThread.advance(INTERVAL);
      for (Map.Entry<TaskManagerId, String> r : registrations.entrySet()) {
        assertThat(heartbeat(r.getKey(), r.getValue()).known()).isTrue();
      }
    }
  }

  /** Registers and heartbeats once, as a TaskManager does right after taking a registration. */
  private RegistrationResponse register(TaskManagerId id, int slots) throws Exception {
    RegistrationResponse response = registerOnce(id, slots);
    registrations.put(id, response.registrationId());
    assertThat(heartbeat(id, response.registrationId()).known()).isTrue();
    return response;
  }

  private RegistrationResponse registerOnce(TaskManagerId id, int slots) throws Exception {
    return await(
        rm.registerTaskManager(
            new TaskManagerRegistration(
                id, new RpcAddress("tm-" + id, 7000), slots, 1L << 30, 4, List.of())));
  }

  private HeartbeatAnswer heartbeat(TaskManagerId id, String registrationId) throws Exception {
    return await(
        rm.heartbeat(new HeartbeatReport(id, registrationId, List.of(), List.of(), 100, 1000)));
  }

  private static TaskDeployment anyDeployment() {
    return new TaskDeployment(
        JobId.random(),
        "job",
        ExecutionId.random(),
        AllocationId.random(),
        0,
        1,
        "vertex",
        0,
        1,
        128,
        0,
        new byte[0],
        Optional.empty(),
        List.of(),
        List.of(),
        Optional.empty(),
        Map.of());
  }

  private static TaskManagerId tm(int n) {
    return new TaskManagerId(String.format("%032d", n));
  }

  private static Map<TaskManagerId, Long> perTaskManager(List<AllocatedSlot> slots) {
    return slots.stream()
        .collect(Collectors.groupingBy(AllocatedSlot::taskManagerId, Collectors.counting()));
  }

  @Test
  void registrationReturnsTheFencingTokenAndHeartbeatTiming() throws Exception {
    RegistrationResponse r = register(tm(1), 2);

    assertThat(r.accepted()).isTrue();
    assertThat(r.fencingToken()).isEqualTo("token-1");
    assertThat(r.registrationId()).isNotEmpty();
    assertThat(r.heartbeatInterval().toMillis()).isEqualTo(1000);
    assertThat(r.heartbeatTimeout().toMillis()).isEqualTo(5000);
    assertThat(await(rm.overview())).isEqualTo(new ResourceOverview(1, 2, 2));
  }

  @Test
  void registrationWithoutSlotsIsRejected() throws Exception {
    RegistrationResponse r = registerOnce(tm(1), 0);

    assertThat(r.accepted()).isFalse();
    assertThat(r.error()).contains("at least one slot");
  }

  @Test
  void slotsAreSpreadEvenlyOverTaskManagers() throws Exception {
    register(tm(3), 4);
    register(tm(1), 4);
    register(tm(2), 4);

    List<AllocatedSlot> first = await(rm.requestSlots(JobId.random(), 6, new RecordingOwner()));
    assertThat(perTaskManager(first))
        .containsOnly(Map.entry(tm(1), 2L), Map.entry(tm(2), 2L), Map.entry(tm(3), 2L));

    List<AllocatedSlot> second = await(rm.requestSlots(JobId.random(), 4, new RecordingOwner()));
    // 2 free on each: one each, then the tie goes to the smallest id
    assertThat(perTaskManager(second))
        .containsOnly(Map.entry(tm(1), 2L), Map.entry(tm(2), 1L), Map.entry(tm(3), 1L));
    assertThat(second.stream().map(AllocatedSlot::allocationId).distinct()).hasSize(4);
    assertThat(await(rm.overview())).isEqualTo(new ResourceOverview(3, 12, 2));
  }

  @Test
  void theTaskManagerWithTheMostFreeSlotsGivesFirst() throws Exception {
    register(tm(1), 1);
    register(tm(2), 3);

    List<AllocatedSlot> slots = await(rm.requestSlots(JobId.random(), 2, new RecordingOwner()));

    assertThat(perTaskManager(slots)).containsOnly(Map.entry(tm(2), 2L));
  }

  @Test
  void aRequestWaitsUntilATaskManagerOffersEnoughSlots() throws Exception {
    register(tm(1), 2);
    JobId job = JobId.random();
    CompletableFuture<List<AllocatedSlot>> request = rm.requestSlots(job, 3, new RecordingOwner());
    advanceKeepingAlive(Duration.ofSeconds(10));
    assertThat(request).isNotDone();

    register(tm(2), 2);

    List<AllocatedSlot> slots = await(request);
    assertThat(slots).hasSize(3).allSatisfy(s -> assertThat(s.jobId()).isEqualTo(job));
    assertThat(perTaskManager(slots).keySet()).containsExactlyInAnyOrder(tm(1), tm(2));
    assertThat(await(rm.overview()).slotsAvailable()).isEqualTo(1);
  }

  @Test
  void slotsAreOfferedOnlyOnceTheTaskManagerHeartbeatsUnderItsRegistration() throws Exception {
    // A TaskManager may refuse the answer to its registration (in HA mode: a token its leader
    // retrieval does not publish yet); then it never heartbeats and its slots must stay unused.
    String registrationId = registerOnce(tm(1), 2).registrationId();
    CompletableFuture<List<AllocatedSlot>> request =
        rm.requestSlots(JobId.random(), 1, new RecordingOwner());
    mainThread.runAll();
    assertThat(request).isNotDone();
    assertThat(await(rm.overview()).slotsAvailable()).isZero();

    assertThat(heartbeat(tm(1), registrationId).known()).isTrue();

    assertThat(await(request)).hasSize(1);
    assertThat(await(rm.overview()).slotsAvailable()).isEqualTo(1);
  }

  @Test
  void requestsAreServedInArrivalOrder() throws Exception {
    register(tm(1), 2);
    CompletableFuture<List<AllocatedSlot>> big =
        rm.requestSlots(JobId.random(), 3, new RecordingOwner());
    CompletableFuture<List<AllocatedSlot>> small =
        rm.requestSlots(JobId.random(), 1, new RecordingOwner());
    mainThread.runAll();
    // two slots are free, but the small request is behind the big one
    assertThat(small).isNotDone();

    register(tm(2), 2);

    assertThat(await(big)).hasSize(3);
    assertThat(await(small)).hasSize(1);
  }

  @Test
  void aWithdrawnRequestNoLongerBlocksTheQueue() throws Exception {
    register(tm(1), 2);
    CompletableFuture<List<AllocatedSlot>> big =
        rm.requestSlots(JobId.random(), 3, new RecordingOwner());
    CompletableFuture<List<AllocatedSlot>> small =
        rm.requestSlots(JobId.random(), 1, new RecordingOwner());
    mainThread.runAll();

    big.cancel(false);
    register(tm(2), 1);

    assertThat(await(small)).hasSize(1);
    assertThat(await(rm.overview()).slotsAvailable()).isEqualTo(2);
  }

  @Test
  void aRequestThatCannotBeServedTimesOut() throws Exception {
    register(tm(1), 2);
    CompletableFuture<List<AllocatedSlot>> request =
        rm.requestSlots(JobId.random(), 5, new RecordingOwner());
    advanceKeepingAlive(SLOT_TIMEOUT.minusSeconds(1));
    assertThat(request).isNotDone();

    advanceKeepingAlive(Duration.ofSeconds(1));

    assertThat(request).isCompletedExceptionally();
    Throwable cause = catchCause(request);
    assertThat(cause)
        .isInstanceOf(NoResourceAvailableException.class)
        .hasMessage("could not get 5 slots within 30 s (2 free)");
  }

  private static Throwable catchCause(CompletableFuture<?> f) {
    try {
      f.get();
      throw new AssertionError("expected a failure");
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void releasingAJobFreesItsSlotsOnItsTaskManagers() throws Exception {
    register(tm(1), 2);
    register(tm(2), 2);
    JobId job = JobId.random();
    List<AllocatedSlot> slots = await(rm.requestSlots(job, 3, new RecordingOwner()));

    rm.releaseJob(job);
    mainThread.runAll();

    assertThat(freed)
        .extracting(FreeSlotCommand::allocationId)
        .containsExactlyInAnyOrderElementsOf(
            slots.stream().map(AllocatedSlot::allocationId).toList());
    assertThat(freed).allSatisfy(f -> assertThat(f.jobId()).isEqualTo(job));
    assertThat(await(rm.overview()).slotsAvailable()).isEqualTo(4);
  }

  @Test
  void aSilentTaskManagerIsReleasedAndItsJobsAreTold() throws Exception {
    String reg1 = registerOnce(tm(1), 2).registrationId();
    String reg2 = registerOnce(tm(2), 2).registrationId();
    assertThat(heartbeat(tm(1), reg1).known()).isTrue();
    assertThat(heartbeat(tm(2), reg2).known()).isTrue();
    RecordingOwner owner = new RecordingOwner();
    await(rm.requestSlots(JobId.random(), 2, owner));

    // tm 2 keeps heartbeating, tm 1 falls silent
    for (int i = 0; i < 5; i++) {
      mainThread.advance(INTERVAL);
      assertThat(heartbeat(tm(2), reg2).known()).isTrue();
    }
    assertThat(owner.lost).isEmpty();
    mainThread.advance(INTERVAL);

    assertThat(owner.lost).containsExactly(tm(1));
    assertThat(owner.causes.get(0))
        .isInstanceOf(TaskManagerLostException.class)
        .hasMessageContaining(tm(1).toString())
        .hasMessageContaining("no heartbeat");
    assertThat(await(rm.overview())).isEqualTo(new ResourceOverview(1, 2, 1));
    assertThat(heartbeat(tm(1), reg1).known()).isFalse();
    assertThat(registry.get("baton.taskmanagers.lost").counter().count()).isEqualTo(1.0);
    assertThat(registry.get("baton.heartbeats.missed").counter().count()).isGreaterThan(0);
  }

  @Test
  void aTaskManagerNobodyAnswersForIsReleasedAtOnce() throws Exception {
    String reg1 = register(tm(1), 1).registrationId();
    register(tm(2), 1);
    RecordingOwner owner = new RecordingOwner();
    List<AllocatedSlot> slots = await(rm.requestSlots(JobId.random(), 2, owner));
    AllocatedSlot onTm1 =
        slots.stream().filter(s -> s.taskManagerId().equals(tm(1))).findFirst().orElseThrow();
    failingCalls.put(tm(1), Status.UNAVAILABLE.withDescription("Connection refused"));

    // a killed TaskManager: the cancel meant for its task finds nobody there
    assertThat(
            onTm1.gateway().cancelTask(new CancelTaskCommand(JobId.random(), ExecutionId.random())))
        .isCompletedExceptionally();
    mainThread.runAll();

    assertThat(owner.lost).containsExactly(tm(1));
    assertThat(owner.causes.get(0))
        .hasMessageContaining(tm(1).toString())
        .hasMessageContaining("is unreachable (UNAVAILABLE: Connection refused)");
    assertThat(await(rm.overview())).isEqualTo(new ResourceOverview(1, 1, 0));
    // if it still lives, its next heartbeat makes it register afresh
    assertThat(heartbeat(tm(1), reg1).known()).isFalse();
    assertThat(registry.get("baton.taskmanagers.lost").counter().count()).isEqualTo(1.0);

    // a second refused call of the same registration changes nothing more
    assertThat(onTm1.gateway().submitTask(anyDeployment())).isCompletedExceptionally();
    mainThread.runAll();
    assertThat(owner.lost).containsExactly(tm(1));
  }

  @Test
  void aCallRunningOutOfTimeLeavesTheTaskManagerToTheHeartbeats() throws Exception {
    register(tm(1), 1);
    RecordingOwner owner = new RecordingOwner();
    AllocatedSlot slot = await(rm.requestSlots(JobId.random(), 1, owner)).get(0);
    // a hung TaskManager keeps its connections: its calls end by their deadline
    failingCalls.put(tm(1), Status.DEADLINE_EXCEEDED);

    assertThat(slot.gateway().submitTask(anyDeployment())).isCompletedExceptionally();
    mainThread.runAll();

    assertThat(owner.lost).isEmpty();
    assertThat(await(rm.overview())).isEqualTo(new ResourceOverview(1, 1, 0));
  }

  @Test
  void heartbeatsOfUnknownRegistrationsAreNotKnown() throws Exception {
    register(tm(1), 1);

    assertThat(heartbeat(tm(1), "not-the-registration").known()).isFalse();
    assertThat(heartbeat(tm(2), "whatever").known()).isFalse();
  }

  @Test
  void heartbeatsCarryHeapAndTaskMetricsToTheJobsWithSlotsThere() throws Exception {
    String reg = register(tm(1), 2).registrationId();
    RecordingOwner owner = new RecordingOwner();
    await(rm.requestSlots(JobId.random(), 1, owner));

    await(
        rm.heartbeat(
            new HeartbeatReport(
                tm(1),
                reg,
                List.of(),
                List.of(new TaskIoCounters(ExecutionId.random(), 7, 0, 0, 0, 0)),
                123,
                456)));

    assertThat(owner.metrics).extracting(TaskIoCounters::recordsIn).containsExactly(7L);
    assertThat(await(rm.taskManagers()))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.heapUsed()).isEqualTo(123);
              assertThat(d.heapMax()).isEqualTo(456);
              assertThat(d.slotsNumber()).isEqualTo(2);
              assertThat(d.freeSlots()).isEqualTo(1);
              assertThat(d.address()).isEqualTo("tm-" + tm(1) + ":7000");
            });
  }

  @Test
  void aTaskManagerRegisteringAgainLosesItsEarlierSlots() throws Exception {
    register(tm(1), 2);
    RecordingOwner owner = new RecordingOwner();
    await(rm.requestSlots(JobId.random(), 2, owner));

    register(tm(1), 2);

    assertThat(owner.lost).containsExactly(tm(1));
    assertThat(await(rm.overview())).isEqualTo(new ResourceOverview(1, 2, 2));
  }

  /** Registers a TaskManager of two slots that reports {@code running} still running. */
  private RegistrationResponse registerRunning(TaskManagerId id, RunningExecution... running)
      throws Exception {
    return await(
        rm.registerTaskManager(
            new TaskManagerRegistration(
                id, new RpcAddress("tm-1", 7000), 2, 1L << 30, 4, List.of(running))));
  }

  @Test
  void tasksATaskManagerStillRunsKeepTheirSlotsAndReachTheirJobWhenItListensLater()
      throws Exception {
    JobId adopted = JobId.random();
    AllocationId allocation = AllocationId.random();
    RunningExecution running =
        new RunningExecution(adopted, ExecutionId.random(), 2, allocation, 1);
    RunningExecution outOfRange =
        new RunningExecution(adopted, ExecutionId.random(), 2, AllocationId.random(), 7);

    RegistrationResponse response = registerRunning(tm(1), running, outOfRange);
    assertThat(heartbeat(tm(1), response.registrationId()).known()).isTrue();
    HeardReports heard = new HeardReports();
    rm.reportedExecutions().listen(adopted, heard);
    mainThread.runAll();

    assertThat(response.accepted()).isTrue();
    assertThat(heard.reported).containsOnlyKeys(tm(1));
    assertThat(heard.reported.get(tm(1))).hasSize(1);
    ReportedExecutions.Report report = heard.reported.get(tm(1)).get(0);
    assertThat(report.execution()).isEqualTo(running);
    assertThat(report.taskManagerId()).isEqualTo(tm(1));
    assertThat(report.slot().allocationId()).isEqualTo(allocation);
    assertThat(report.slot().jobId()).isEqualTo(adopted);
    assertThat(report.slot().slotIndex()).isEqualTo(1);
    // the kept slot is the job's: another job gets only the other one
    assertThat(await(rm.overview())).isEqualTo(new ResourceOverview(1, 2, 1));
    List<AllocatedSlot> other = await(rm.requestSlots(JobId.random(), 1, new RecordingOwner()));
    assertThat(other).extracting(AllocatedSlot::slotIndex).containsExactly(0);
  }

  @Test
  void aJobWaitingForReportedTasksHearsWhenTheirTaskManagerIsLost() throws Exception {
    JobId reconciling = JobId.random();
    RunningExecution running =
        new RunningExecution(reconciling, ExecutionId.random(), 2, AllocationId.random(), 0);
    String reg1 = registerRunning(tm(1), running).registrationId();
    assertThat(heartbeat(tm(1), reg1).known()).isTrue();
    HeardReports heard = new HeardReports();
    rm.reportedExecutions().listen(reconciling, heard);
    mainThread.runAll();

    for (int i = 0; i < 6; i++) {
      mainThread.advance(INTERVAL);
    }

    assertThat(heard.lost).hasSize(1);
    assertThat(heard.lost.get(0))
        .startsWith(tm(1) + ": TaskManager " + tm(1))
        .contains("no heartbeat");
  }

  @Test
  void aListeningJobHearsEveryRegistrationWholeEvenWithoutItsTasks() throws Exception {
    JobId reconciling = JobId.random();
    HeardReports heard = new HeardReports();
    rm.reportedExecutions().listen(reconciling, heard);
    mainThread.runAll();
    RunningExecution otherJob =
        new RunningExecution(JobId.random(), ExecutionId.random(), 0, AllocationId.random(), 0);

    registerRunning(tm(1), otherJob);

    // tm 1 runs nothing of the job: a job waiting for tasks there knows they ended
    assertThat(heard.reported).containsOnlyKeys(tm(1));
    assertThat(heard.reported.get(tm(1))).isEmpty();
  }

  /** What a reconciling job hears of the TaskManagers: the latest report of each, and losses. */
  private static final class HeardReports implements ReportedExecutions.Listener {
    final Map<TaskManagerId, List<ReportedExecutions.Report>> reported = new HashMap<>();
    final List<String> lost = new ArrayList<>();

    @Override
    public void reported(TaskManagerId taskManagerId, List<ReportedExecutions.Report> reports) {
      reported.put(taskManagerId, reports);
    }

    @Override
    public void taskManagerLost(TaskManagerId taskManagerId, String reason) {
      lost.add(taskManagerId + ": " + reason);
    }
  }
}
