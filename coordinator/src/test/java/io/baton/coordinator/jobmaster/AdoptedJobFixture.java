package io.baton.coordinator.jobmaster;

import io.baton.api.graph.JobGraph;
import io.baton.common.cluster.RunningExecution;
import io.baton.common.concurrent.MainThreadExecutor;
import io.baton.common.config.Configuration;
import io.baton.common.ids.AllocationId;
import io.baton.common.ids.ExecutionId;
import io.baton.common.ids.JobId;
import io.baton.common.ids.TaskManagerId;
import io.baton.coordinator.JobManagerTestCluster;
import io.baton.coordinator.checkpoint.CheckpointServices;
import io.baton.coordinator.checkpoint.CheckpointSettings;
import io.baton.coordinator.failover.RestartStrategyFactory;
import io.baton.coordinator.metrics.JobManagerMetrics;
import io.baton.coordinator.resourcemanager.AllocatedSlot;
import io.baton.coordinator.resourcemanager.ReportedExecutions;
import io.baton.coordinator.resourcemanager.ReportedExecutions.Report;
import io.baton.coordinator.resourcemanager.ResourceManagerGateway;
import io.baton.coordinator.resourcemanager.ResourceOverview;
import io.baton.coordinator.resourcemanager.SlotOwner;
import io.baton.coordinator.resourcemanager.TaskAdoptionGateway;
import io.baton.coordinator.rpc.RecordingTaskManagerGateway;
import io.baton.coordinator.scheduler.JobCheckpointing;
import io.baton.coordinator.scheduler.SchedulerServices;
import io.baton.coordinator.status.TaskManagerDetails;
import io.baton.ha.DeploymentRecord;
import io.baton.ha.DeploymentRecord.RecordedExecution;
import io.baton.ha.LeaderStores;
import io.baton.ha.factory.HighAvailabilityServicesFactory;
import io.baton.storage.FileStores;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

/**
 * A WordCount job (8 subtasks in 3 slots) that a previous leader deployed and recorded, recovered
 * by a new leader with reconciliation on: the test plays the two TaskManagers (which record every
 * command they get) and their reports to the resource manager. Safe to drive from any thread.
 */
public final class AdoptedJobFixture {
  /** The digest of the previous leader's token, as its deployment record names it. */
  public static final String PREVIOUS_LEADER = "0123456789ab";

  /** The digest of the recovering leader's token. */
  public static final String THIS_LEADER = "ba7012345678";

  public final JobId jobId = JobId.random();
  public final LeaderStores stores;
  public final RecordingTaskManagerGateway tm1 =
      new RecordingTaskManagerGateway(new TaskManagerId("1".repeat(32)));
  public final RecordingTaskManagerGateway tm2 =
      new RecordingTaskManagerGateway(new TaskManagerId("2".repeat(32)));
  public final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  /** The job's checkpoint settings; none by default, so nothing is triggered periodically. */
  public final Configuration checkpointing = new Configuration();

  public final List<AllocatedSlot> releasedSlots = new CopyOnWriteArrayList<>();
  private final AllocationId[] allocations = {
    AllocationId.random(), AllocationId.random(), AllocationId.random()
  };
  private volatile ReportedExecutions.Listener reports;

  /** With in-memory HA stores. */
  public AdoptedJobFixture() {
    this(HighAvailabilityServicesFactory.inMemoryStores());
  }

  /** With {@code stores} as the HA stores both leaders share. */
  public AdoptedJobFixture(LeaderStores stores) {
    this.stores = stores;
  }

  /**
   * Records attempt {@code attempt} of the job as {@link #PREVIOUS_LEADER} deployed it: subtask i
   * of each vertex in slot i, on tm1 for even i and on tm2 for odd, started at {@code startTime}.
   */
  public DeploymentRecord record(int attempt, long startTime, int reconciliations)
      throws Exception {
    List<RecordedExecution> executions = new ArrayList<>();
    for (var vertex : graph().vertices()) {
      for (int i = 0; i < vertex.parallelism(); i++) {
        executions.add(
            new RecordedExecution(
                vertex.id(),
                i,
                ExecutionId.random(),
                attempt,
                taskManager(i).id,
                allocations[i],
                i,
                startTime));
      }
    }
    DeploymentRecord record =
        new DeploymentRecord(jobId, attempt, executions, PREVIOUS_LEADER, reconciliations);
    stores.deploymentRecordStore().put(record);
    return record;
  }

  /**
   * The job master of the new leader {@link #THIS_LEADER}, recovering the job (not started yet).
   *
   * @param io where the job master's storage calls run
   */
  public JobMaster recovering(
      MainThreadExecutor mainThread, Clock clock, Executor io, Duration reconciliationTimeout)
      throws Exception {
    return new JobMaster(
        jobId,
        new JobSubmission(graph(), Optional.empty(), Optional.empty()),
        new RestartStrategyFactory(clock, new Random(1)).create(new Configuration(), Map.of()),
        new SchedulerServices(
            new NoSlots(),
            mainThread,
            clock,
            Duration.ofSeconds(30),
            new JobManagerMetrics(registry)),
        new JobCheckpointing(
            new CheckpointServices(new FileStores(new Configuration()), stores, io),
            CheckpointSettings.of(checkpointing, Map.of()),
            Optional.empty()),
        new JobLifecycleStores(stores, THIS_LEADER),
        1,
        new JobReconciling(true, reconciliationTimeout, new Reports()));
  }

  /**
   * The TaskManagers re-registered reporting {@code executions} running, each in its recorded slot.
   * The job master hears it on its main thread.
   */
  public void reportRunning(List<RecordedExecution> executions) {
    List<Report> reported = new ArrayList<>();
    for (RecordedExecution e : executions) {
      RecordingTaskManagerGateway tm = e.taskManagerId().equals(tm1.id) ? tm1 : tm2;
      reported.add(
          new Report(
              tm.id,
              new RunningExecution(
                  jobId, e.executionId(), e.attempt(), e.allocationId(), e.slotIndex()),
              new AllocatedSlot(e.allocationId(), jobId, tm.id, e.slotIndex(), tm)));
    }
    // each TaskManager reports all of its tasks in one registration
    Map<TaskManagerId, List<Report>> byTaskManager = new LinkedHashMap<>();
    reported.forEach(
        r -> byTaskManager.computeIfAbsent(r.taskManagerId(), id -> new ArrayList<>()).add(r));
    byTaskManager.forEach(reports::reported);
  }

  /** Whether the job master listens to the TaskManagers' reports. */
  public boolean listening() {
    return reports != null;
  }

  /** Every checkpoint notice both TaskManagers got, completions and aborts, as "complete 5". */
  public List<String> notices() {
    List<String> all = new ArrayList<>();
    for (RecordingTaskManagerGateway tm : List.of(tm1, tm2)) {
      tm.completed.forEach(n -> all.add("complete " + n.checkpointId()));
      tm.aborted.forEach(n -> all.add("abort " + n.checkpointId()));
    }
    return all;
  }

  private RecordingTaskManagerGateway taskManager(int subtask) {
    return subtask % 2 == 0 ? tm1 : tm2;
  }

  private static JobGraph graph() throws Exception {
    return JobManagerTestCluster.wordCount();
  }

  /** The resource manager's side of adoption: the test plays the reporting TaskManagers. */
  private final class Reports implements TaskAdoptionGateway {
    @Override
    public void listen(JobId jobId, ReportedExecutions.Listener listener) {
      reports = listener;
    }

    @Override
    public void stopListening(JobId jobId) {}

    @Override
    public void adoptSlots(JobId jobId, SlotOwner owner) {}
  }

  /** Slot requests are never granted: an adopted job asks for none. */
  private final class NoSlots implements ResourceManagerGateway {
    @Override
    public CompletableFuture<List<AllocatedSlot>> requestSlots(
        JobId jobId, int count, SlotOwner owner) {
      return new CompletableFuture<>();
    }

    @Override
    public void releaseSlots(JobId jobId, List<AllocatedSlot> slots) {
      releasedSlots.addAll(slots);
    }

    @Override
    public void releaseJob(JobId jobId) {}

    @Override
    public CompletableFuture<ResourceOverview> overview() {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<List<TaskManagerDetails>> taskManagers() {
      throw new UnsupportedOperationException();
    }
  }
}
