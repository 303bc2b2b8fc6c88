package io.baton.coordinator.resourcemanager;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.common.checkpoint.CheckpointNotice;
import io.baton.common.checkpoint.CheckpointTrigger;
import io.baton.common.cluster.Acknowledgement;
import io.baton.common.cluster.FreeSlotCommand;
import io.baton.common.cluster.HeartbeatReport;
import io.baton.common.cluster.RegistrationResponse;
import io.baton.common.cluster.RpcAddress;
import io.baton.common.cluster.TaskManagerRegistration;
import io.baton.common.deployment.AdoptTasksCommand;
import io.baton.common.deployment.CancelTaskCommand;
import io.baton.common.deployment.TaskDeployment;
import io.baton.common.execution.TaskIoCounters;
import io.baton.common.ids.JobId;
import io.baton.common.ids.TaskManagerId;
import io.baton.coordinator.ManualClock;
import io.baton.coordinator.ManualMainThreadExecutor;
import io.baton.coordinator.metrics.ResourceManagerMetrics;
import io.baton.coordinator.rpc.TaskManagerGateway;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The active resource manager's worker policy, with a driver that only records what it is asked and
 * a main thread and clock the test moves.
 */
class ActiveWorkersTest {
  private static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
  // far away: only the test that is about it lets a TaskManager go silent
  private static final Duration HEARTBEAT_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration SLOT_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration RETRY_INTERVAL = Duration.ofSeconds(3);
  private static final Duration REGISTRATION_TIMEOUT = Duration.ofMinutes(1);

  private final ManualClock clock = new ManualClock(0);
  private final ManualMainThreadExecutor mainThread = new ManualMainThreadExecutor(clock);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final RecordingDriver driver = new RecordingDriver();
  private ResourceManager rm;

  private void startResourceManager(int slotsPerWorker, int maxSlots, int spares) {
    rm =
        new ResourceManager(
            mainThread,
            clock,
            "token-1",
            new ResourceManagerSettings(
                HEARTBEAT_INTERVAL,
                HEARTBEAT_TIMEOUT,
                SLOT_TIMEOUT,
                new WorkerSettings(
                    slotsPerWorker,
                    IDLE_TIMEOUT,
                    maxSlots,
                    spares,
                    RETRY_INTERVAL,
                    REGISTRATION_TIMEOUT)),
            (id, address) -> new AcceptingGateway(id, address),
            new ResourceManagerMetrics(registry),
            driver);
    rm.start();
    mainThread.runAll();
  }

  @Test
  void waitingSlotRequestsStartWorkersForTheMissingSlots() throws Exception {
    startResourceManager(2, Integer.MAX_VALUE, 0);

    CompletableFuture<List<AllocatedSlot>> slots = requestSlots(5);

    assertThat(driver.started).as("workers of 2 slots for 5 slots").hasSize(3);
    assertThat(gauge("baton.workers.pending")).isEqualTo(3);
    assertThat(registry.get("baton.workers.started").counter().count()).isEqualTo(3);
    assertThat(slots).isNotDone();

    for (TaskManagerId id : driver.started) {
      register(id, 2);
    }
    assertThat(slots).isCompletedWithValueMatching(s -> s.size() == 5);
    assertThat(driver.started).as("no more workers once they registered").hasSize(3);
    assertThat(gauge("baton.workers.pending")).isZero();
    assertThat(gauge("baton.workers.running")).isEqualTo(3);
  }

  @Test
  void workersStillRunningFromBeforeAreWaitedForInsteadOfStartingNewOnes() throws Exception {
    driver.recovered = new CompletableFuture<>();
    startResourceManager(2, Integer.MAX_VALUE, 0);
    CompletableFuture<List<AllocatedSlot>> slots = requestSlots(4);
    assertThat(driver.started).as("nothing started before the driver told what runs").isEmpty();

    TaskManagerId early = TaskManagerId.random();
    TaskManagerId late = TaskManagerId.random();
    register(early, 2); // registered before the driver's answer
    driver.recovered.complete(List.of(early, late));
    mainThread.runAll();
    assertThat(driver.started).as("the recovered workers cover the 4 slots").isEmpty();
    assertThat(gauge("baton.workers.pending")).isEqualTo(1);

    register(late, 2);
    assertThat(slots).isCompletedWithValueMatching(s -> s.size() == 4);
    assertThat(driver.started).isEmpty();
    assertThat(gauge("baton.workers.running")).isEqualTo(2);
  }

  @Test
  void aRecoveredWorkerThatNeverRegistersIsReleasedAndReplaced() {
    TaskManagerId gone = TaskManagerId.random();
    driver.recovered = CompletableFuture.completedFuture(List.of(gone));
    startResourceManager(2, Integer.MAX_VALUE, 0);
    requestSlots(2);
    assertThat(driver.started).isEmpty();

    mainThread.advance(REGISTRATION_TIMEOUT);
    assertThat(driver.released).containsExactly(gone);
    mainThread.advance(RETRY_INTERVAL);
    assertThat(driver.started).as("a replacement after the retry interval").hasSize(1);
  }

  @Test
  void aDriverThatNeverTellsWhatRunsHoldsStartsBackOnlyForTheRegistrationTimeout() {
    driver.recovered = new CompletableFuture<>();
    startResourceManager(2, Integer.MAX_VALUE, 0);
    requestSlots(2);
    assertThat(driver.started).isEmpty();

    mainThread.advance(REGISTRATION_TIMEOUT);
    assertThat(driver.started).hasSize(1);
  }

  @Test
  void freeSlotsServeRequestsWithoutStartingWorkers() throws Exception {
    startResourceManager(2, Integer.MAX_VALUE, 0);
    register(TaskManagerId.random(), 4); // started by hand

    assertThat(requestSlots(3)).isCompletedWithValueMatching(s -> s.size() == 3);
    assertThat(driver.started).isEmpty();
  }

  @Test
  void workersAreNotStartedBeyondTheMostSlots() {
    startResourceManager(2, 5, 0);

    requestSlots(10);

    assertThat(driver.started).as("2 workers of 2 slots fit into 5 slots").hasSize(2);
    mainThread.advance(Duration.ofSeconds(10));
    assertThat(driver.started).hasSize(2);
  }

  @Test
  void spareWorkersAreKeptReady() throws Exception {
    startResourceManager(2, Integer.MAX_VALUE, 1);
    assertThat(driver.started).as("a spare with no job at all").hasSize(1);
    register(driver.started.get(0), 2);
    assertThat(driver.started).hasSize(1);

    assertThat(requestSlots(2)).isCompletedWithValueMatching(s -> s.size() == 2);

    assertThat(driver.started).as("the spare was used: a new one is started").hasSize(2);
    register(driver.started.get(1), 2);
    mainThread.advance(IDLE_TIMEOUT.multipliedBy(3));
    assertThat(driver.released).as("the idle spare stays").isEmpty();
  }

  @Test
  void idleWorkersAreReleasedAfterTheTimeout() throws Exception {
    startResourceManager(2, Integer.MAX_VALUE, 0);
    JobId job = JobId.random();
    CompletableFuture<List<AllocatedSlot>> slots = rm.requestSlots(job, 2, new RecordingOwner());
    mainThread.runAll();
    TaskManagerId worker = driver.started.get(0);
    register(worker, 2);
    assertThat(slots).isCompleted();

    mainThread.advance(IDLE_TIMEOUT.multipliedBy(2));
    assertThat(driver.released).as("busy for longer than the idle timeout").isEmpty();

    rm.releaseJob(job);
    mainThread.advance(IDLE_TIMEOUT.minusMillis(1));
    assertThat(driver.released).isEmpty();
    mainThread.advance(Duration.ofMillis(1));

    assertThat(driver.released).containsExactly(worker);
    assertThat(overview()).isEqualTo(new ResourceOverview(0, 0, 0));
    assertThat(gauge("baton.workers.running")).isZero();

    // its heartbeat is refused before it stops: it must not come back unmanaged
    CompletableFuture<RegistrationResponse> again =
        rm.registerTaskManager(
            new TaskManagerRegistration(
                worker, new RpcAddress("tm-" + worker, 7000), 2, 1L << 30, 4, List.of()));
    mainThread.runAll();
    assertThat(again.get().accepted()).isFalse();
    assertThat(again.get().error()).contains("is being stopped");
    assertThat(overview()).isEqualTo(new ResourceOverview(0, 0, 0));
  }

  @Test
  void aWorkerWhoseProcessEndedIsReplacedWhenItsSlotsAreNeededAgain() throws Exception {
    startResourceManager(2, Integer.MAX_VALUE, 0);
    JobId job = JobId.random();
    RecordingOwner owner = new RecordingOwner();
    rm.requestSlots(job, 2, owner);
    mainThread.runAll();
    TaskManagerId worker = driver.started.get(0);
    register(worker, 2);

    driver.listener.workerEnded(worker, "process 42 exit code 137");
    mainThread.runAll();

    assertThat(owner.lost).containsExactly(worker);
    assertThat(overview()).isEqualTo(new ResourceOverview(0, 0, 0));
    assertThat(driver.started).as("nothing needs slots now").hasSize(1);

    // the job fails over and asks again
    CompletableFuture<List<AllocatedSlot>> again = rm.requestSlots(job, 2, owner);
    mainThread.runAll();
    assertThat(driver.started).hasSize(2);
    register(driver.started.get(1), 2);
    assertThat(again).isCompletedWithValueMatching(s -> s.size() == 2);
  }

  @Test
  void aSilentWorkerIsStoppedAndAReplacementStartedForTheSpares() throws Exception {
    startResourceManager(1, Integer.MAX_VALUE, 1);
    TaskManagerId silent = driver.started.get(0);
    register(silent, 1);

    mainThread.advance(HEARTBEAT_TIMEOUT.plusSeconds(2));

    assertThat(driver.released).as("its process may hang: stopped for good").contains(silent);
    assertThat(driver.started).hasSize(2);
    assertThat(registry.get("baton.taskmanagers.lost").counter().count()).isEqualTo(1);
  }

  @Test
  void aWorkerEndingBeforeItRegisteredIsRetriedAfterTheInterval() {
    startResourceManager(2, Integer.MAX_VALUE, 0);
    requestSlots(2);
    TaskManagerId first = driver.started.get(0);

    driver.listener.workerEnded(first, "process 7 exit code 1");
    mainThread.runAll();
    assertThat(registry.get("baton.workers.failed").counter().count()).isEqualTo(1);
    assertThat(driver.started).as("no busy loop").hasSize(1);

    mainThread.advance(RETRY_INTERVAL.minusMillis(1));
    assertThat(driver.started).hasSize(1);
    mainThread.advance(Duration.ofMillis(1));
    assertThat(driver.started).hasSize(2);

    // failing again and again: one start per interval
    for (int i = 0; i < 5; i++) {
      driver.listener.workerEnded(driver.started.get(driver.started.size() - 1), "exit code 1");
      mainThread.advance(RETRY_INTERVAL);
    }
    assertThat(driver.started).hasSize(7);
    assertThat(clock.millis()).isEqualTo(6 * RETRY_INTERVAL.toMillis());
  }

  @Test
  void aWorkerThatDoesNotRegisterInTimeIsStoppedAndRetried() {
    startResourceManager(2, Integer.MAX_VALUE, 0);
    requestSlots(2);
    TaskManagerId stuck = driver.started.get(0);

    mainThread.advance(REGISTRATION_TIMEOUT);
    assertThat(driver.released).containsExactly(stuck);
    assertThat(driver.started).hasSize(1);

    mainThread.advance(RETRY_INTERVAL);
    assertThat(driver.started).hasSize(2);
  }

  @Test
  void aWorkerThatCannotBeLaunchedIsRetriedAfterTheInterval() {
    startResourceManager(2, Integer.MAX_VALUE, 0);
    driver.launchFailure = new IllegalStateException("cannot run java: no such file");

    requestSlots(2);
    mainThread.runAll();
    assertThat(driver.started).hasSize(1);
    assertThat(registry.get("baton.workers.failed").counter().count()).isEqualTo(1);

    driver.launchFailure = null;
    mainThread.advance(RETRY_INTERVAL);
    assertThat(driver.started).hasSize(2);
    assertThat(gauge("baton.workers.pending")).isEqualTo(1);
  }

  @Test
  void theStandaloneDriverStartsNothing() {
    rm =
        new ResourceManager(
            mainThread,
            clock,
            "token-1",
            new ResourceManagerSettings(HEARTBEAT_INTERVAL, HEARTBEAT_TIMEOUT, SLOT_TIMEOUT),
            (id, address) -> new AcceptingGateway(id, address),
            new ResourceManagerMetrics(registry));
    rm.start();
    mainThread.runAll();

    assertThat(requestSlots(2)).isNotDone();
    assertThat(registry.get("baton.workers.started").counter().count()).isZero();
  }

  // ------------------------------------------------------------------ helpers

  private CompletableFuture<List<AllocatedSlot>> requestSlots(int count) {
    CompletableFuture<List<AllocatedSlot>> f =
        rm.requestSlots(JobId.random(), count, new RecordingOwner());
    mainThread.runAll();
    return f;
  }

  /** Registers and heartbeats once, as a TaskManager does right after it started. */
  private void register(TaskManagerId id, int slots) throws Exception {
    CompletableFuture<RegistrationResponse> response =
        rm.registerTaskManager(
            new TaskManagerRegistration(
                id, new RpcAddress("tm-" + id, 7000), slots, 1L << 30, 4, List.of()));
    mainThread.runAll();
    String registrationId = response.get().registrationId();
    rm.heartbeat(new HeartbeatReport(id, registrationId, List.of(), List.of(), 100, 1000));
    mainThread.runAll();
  }

  private ResourceOverview overview() throws Exception {
    CompletableFuture<ResourceOverview> f = rm.overview();
    mainThread.runAll();
    return f.get();
  }

  private double gauge(String name) {
    return registry.get(name).gauge().value();
  }

  /** Records what the resource manager asks; launches succeed unless told otherwise. */
  private static final class RecordingDriver implements WorkerDriver {
    final List<TaskManagerId> started = new ArrayList<>();
    final List<TaskManagerId> released = new ArrayList<>();
    Listener listener;
    RuntimeException launchFailure;
    CompletableFuture<List<TaskManagerId>> recovered = CompletableFuture.completedFuture(List.of());

    @Override
    public CompletableFuture<List<TaskManagerId>> recoveredWorkers() {
      return recovered;
    }

    @Override
    public boolean isActive() {
      return true;
    }

    @Override
    public void start(Listener listener) {
      this.listener = listener;
    }

    @Override
    public CompletableFuture<Void> startWorker(TaskManagerId id) {
      started.add(id);
      return launchFailure == null
          ? CompletableFuture.completedFuture(null)
          : CompletableFuture.failedFuture(launchFailure);
    }

    @Override
    public void releaseWorker(TaskManagerId id) {
      released.add(id);
    }

    @Override
    public void close(Duration timeout) {}

    @Override
    public String toString() {
      return "recording";
    }
  }

  private static final class RecordingOwner implements SlotOwner {
    final List<TaskManagerId> lost = new ArrayList<>();

    @Override
    public void taskManagerLost(TaskManagerId taskManagerId, Exception cause) {
      lost.add(taskManagerId);
    }

    @Override
    public void taskMetricsReported(TaskManagerId taskManagerId, List<TaskIoCounters> metrics) {}
  }

  /** A TaskManager that accepts every call. */
  private record AcceptingGateway(TaskManagerId taskManagerId, RpcAddress address)
      implements TaskManagerGateway {
    private static CompletableFuture<Acknowledgement> ok() {
      return CompletableFuture.completedFuture(Acknowledgement.accepted());
    }

    @Override
    public CompletableFuture<Acknowledgement> submitTask(TaskDeployment request) {
      return ok();
    }

    @Override
    public CompletableFuture<Acknowledgement> cancelTask(CancelTaskCommand request) {
      return ok();
    }

    @Override
    public CompletableFuture<Acknowledgement> freeSlot(FreeSlotCommand request) {
      return ok();
    }

    @Override
    public CompletableFuture<Acknowledgement> triggerCheckpoint(CheckpointTrigger request) {
      return ok();
    }

    @Override
    public CompletableFuture<Acknowledgement> notifyCheckpointComplete(CheckpointNotice n) {
      return ok();
    }

    @Override
    public CompletableFuture<Acknowledgement> notifyCheckpointAborted(CheckpointNotice n) {
      return ok();
    }

    @Override
    public CompletableFuture<Acknowledgement> adoptTasks(AdoptTasksCommand request) {
      return ok();
    }

    @Override
    public void close() {}
  }
}
