package io.baton.coordinator.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.baton.common.cluster.Acknowledgement;
import io.baton.common.concurrent.SingleThreadMainThreadExecutor;
import io.baton.common.config.Configuration;
import io.baton.common.execution.ExecutionState;
import io.baton.common.execution.ExecutionStateUpdate;
import io.baton.common.ids.AllocationId;
import io.baton.common.ids.ExecutionId;
import io.baton.common.ids.JobId;
import io.baton.common.ids.TaskManagerId;
import io.baton.coordinator.JobManagerTestCluster;
import io.baton.coordinator.checkpoint.CheckpointServices;
import io.baton.coordinator.failover.RestartStrategyFactory;
import io.baton.coordinator.jobmaster.JobLifecycleStores;
import io.baton.coordinator.jobmaster.JobMaster;
import io.baton.coordinator.jobmaster.JobSubmission;
import io.baton.coordinator.metrics.JobManagerMetrics;
import io.baton.coordinator.resourcemanager.AllocatedSlot;
import io.baton.coordinator.resourcemanager.ResourceManagerGateway;
import io.baton.coordinator.resourcemanager.ResourceOverview;
import io.baton.coordinator.resourcemanager.SlotOwner;
import io.baton.coordinator.resourcemanager.TaskAdoptionGateway;
import io.baton.coordinator.rpc.RecordingTaskManagerGateway;
import io.baton.coordinator.status.JobDetails;
import io.baton.coordinator.status.TaskManagerDetails;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Task reports reach their job master through the registry of running jobs, without waiting for the
 * dispatcher's main thread.
 */
class TaskReportRoutingTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final SingleThreadMainThreadExecutor dispatcherThread =
      new SingleThreadMainThreadExecutor("Dispatcher", "test-dispatcher");
  private final RecordingTaskManagerGateway taskManager =
      new RecordingTaskManagerGateway(TaskManagerId.random());
  private final Dispatcher dispatcher =
      new Dispatcher(
          dispatcherThread,
          new Configuration(),
          new GrantingResourceManager(taskManager),
          TaskAdoptionGateway.none(),
          new RestartStrategyFactory(Clock.systemUTC(), new Random(1)),
          jobId -> new SingleThreadMainThreadExecutor("JobMaster of " + jobId, "test-jm-" + jobId),
          Clock.systemUTC(),
          new JobManagerMetrics(new SimpleMeterRegistry()),
          Duration.ofSeconds(5),
          CheckpointServices.direct(),
          JobLifecycleStores.inMemory(),
          Optional.empty());
  private final CountDownLatch releaseDispatcher = new CountDownLatch(1);

  @AfterEach
  void tearDown() {
    releaseDispatcher.countDown();
    dispatcher.close(Duration.ofSeconds(5));
  }

  @Test
  void aTaskReportReachesItsJobWhileTheDispatcherThreadIsBlocked() throws Exception {
    JobId jobId =
        dispatcher
            .submitJob(
                new JobSubmission(
                    JobManagerTestCluster.wordCount(), Optional.empty(), Optional.empty()),
                null)
            .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    await().atMost(WAIT).until(() -> taskManager.submitted.size() == 8);
    CountDownLatch dispatcherBlocked = new CountDownLatch(1);
    dispatcherThread.execute(
        () -> {
          dispatcherBlocked.countDown();
          awaitQuietly(releaseDispatcher);
        });
    assertThat(dispatcherBlocked.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

    List<Acknowledgement> answers = IntStream.range(0, 8).mapToObj(i -> report(jobId, i)).toList();

    assertThat(answers).allSatisfy(ack -> assertThat(ack.ok()).isTrue());
    JobMaster jobMaster = dispatcher.runningJobs().lookup(jobId).orElseThrow();
    JobDetails details = jobMaster.requestDetails().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(details.taskCounts().get(ExecutionState.RUNNING)).isEqualTo(8);
    assertThat(releaseDispatcher.getCount()).as("the dispatcher's thread is still blocked").isOne();
  }

  @Test
  void aReportForAJobThatIsNotRunningIsRefusedNamingTheJob() throws Exception {
    JobId unknown = JobId.random();

    Acknowledgement answer =
        dispatcher
            .runningJobs()
            .updateTaskState(update(unknown, ExecutionId.random()))
            .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

    assertThat(answer.ok()).isFalse();
    assertThat(answer.error()).isEqualTo("job " + unknown + " is not running");
  }

  private Acknowledgement report(JobId jobId, int task) {
    try {
      return dispatcher
          .runningJobs()
          .updateTaskState(update(jobId, taskManager.submitted.get(task).executionId()))
          .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("task report " + task + " got no answer", e);
    }
  }

  private ExecutionStateUpdate update(JobId jobId, ExecutionId executionId) {
    return new ExecutionStateUpdate(
        jobId, executionId, ExecutionState.RUNNING, "", taskManager.id, Optional.empty());
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Offers as many slots as a job asks for, all on one TaskManager. */
  private record GrantingResourceManager(RecordingTaskManagerGateway taskManager)
      implements ResourceManagerGateway {

    @Override
    public CompletableFuture<List<AllocatedSlot>> requestSlots(
        JobId jobId, int count, SlotOwner owner) {
      return CompletableFuture.completedFuture(
          IntStream.range(0, count)
              .mapToObj(
                  i ->
                      new AllocatedSlot(
                          AllocationId.random(), jobId, taskManager.id, i, taskManager))
              .toList());
    }

    @Override
    public void releaseSlots(JobId jobId, List<AllocatedSlot> slots) {}

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
