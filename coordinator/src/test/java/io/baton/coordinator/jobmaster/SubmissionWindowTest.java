package io.baton.coordinator.jobmaster;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.common.cluster.Acknowledgement;
import io.baton.common.config.Configuration;
import io.baton.common.execution.ExecutionState;
import io.baton.common.ids.AllocationId;
import io.baton.common.ids.JobId;
import io.baton.common.ids.TaskManagerId;
import io.baton.coordinator.JobManagerTestCluster;
import io.baton.coordinator.ManualClock;
import io.baton.coordinator.ManualMainThreadExecutor;
import io.baton.coordinator.checkpoint.CheckpointServices;
import io.baton.coordinator.checkpoint.CheckpointSettings;
import io.baton.coordinator.failover.RestartStrategyFactory;
import io.baton.coordinator.metrics.JobManagerMetrics;
import io.baton.coordinator.resourcemanager.AllocatedSlot;
import io.baton.coordinator.rpc.RecordingTaskManagerGateway;
import io.baton.coordinator.scheduler.JobCheckpointing;
import io.baton.coordinator.scheduler.SchedulerServices;
import io.baton.coordinator.status.JobStatus;
import io.baton.ha.factory.HighAvailabilityServicesFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A large job on one TaskManager: the job master keeps at most 32 submissions unanswered per
 * TaskManager, so no submission waits out its deadline in the TaskManager's queue.
 */
class SubmissionWindowTest {
  private static final int WINDOW = 32;
  // source (2) -HASH-> count (30) -FORWARD-> sink (30): 62 tasks in 30 slots
  private static final int TASKS = 62;

  private final ManualClock clock = new ManualClock(1_000);
  private final ManualMainThreadExecutor mainThread = new ManualMainThreadExecutor(clock);
  private final FakeResourceManager resourceManager = new FakeResourceManager();
  private final RecordingTaskManagerGateway tm =
      new RecordingTaskManagerGateway(new TaskManagerId("1".repeat(32)));
  private JobMaster jobMaster;

  @BeforeEach
  void startJobOnOneTaskManager() throws Exception {
    JobId jobId = JobId.random();
    jobMaster =
        new JobMaster(
            jobId,
            new JobSubmission(
                JobManagerTestCluster.wordCount(30, Map.of()), Optional.empty(), Optional.empty()),
            new RestartStrategyFactory(clock, new Random(1)).create(new Configuration(), Map.of()),
            new SchedulerServices(
                resourceManager,
                mainThread,
                clock,
                Duration.ofSeconds(30),
                new JobManagerMetrics(new SimpleMeterRegistry())),
            new JobCheckpointing(
                CheckpointServices.direct(),
                CheckpointSettings.of(new Configuration(), Map.of()),
                Optional.empty()),
            new JobLifecycleStores(HighAvailabilityServicesFactory.inMemoryStores()),
            0,
            JobReconciling.disabled());
    jobMaster.start();
    mainThread.runAll();
    tm.holdSubmitAnswers = true;
    List<AllocatedSlot> slots = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      slots.add(new AllocatedSlot(AllocationId.random(), jobId, tm.id, i, tm));
    }
    resourceManager.requests.get(0).complete(slots);
    mainThread.runAll();
  }

  private void answer(int index) {
    tm.submitAnswers.get(index).complete(Acknowledgement.accepted());
    mainThread.runAll();
  }

  private Map<ExecutionState, Integer> taskCounts() throws Exception {
    var details = jobMaster.requestDetails();
    mainThread.runAll();
    return details.get().taskCounts();
  }

  @Test
  void eachAnswerLetsTheNextTaskGoAndEveryTaskIsSubmittedOnce() throws Exception {
    assertThat(tm.submitted).hasSize(WINDOW);
    assertThat(taskCounts().get(ExecutionState.DEPLOYING)).isEqualTo(TASKS);

    answer(0);
    assertThat(tm.submitted).hasSize(WINDOW + 1);

    for (int i = 1; i < TASKS; i++) {
      answer(i);
    }
    assertThat(tm.submitted).hasSize(TASKS);
    assertThat(tm.submitted.stream().map(d -> d.executionId()).distinct()).hasSize(TASKS);
  }

  @Test
  void tasksNotYetSentWhenTheJobIsCancelledAreNeverSent() throws Exception {
    answer(0);

    jobMaster.cancel();
    mainThread.runAll();
    for (int i = 1; i <= WINDOW; i++) {
      answer(i);
    }

    // the 33 sent are cancelled on the TaskManager; the 29 others never reach it
    assertThat(tm.submitted).hasSize(WINDOW + 1);
    assertThat(tm.cancelled).hasSize(WINDOW + 1);
    assertThat(taskCounts().get(ExecutionState.CANCELED)).isEqualTo(TASKS - WINDOW - 1);
    assertThat(taskCounts().get(ExecutionState.CANCELING)).isEqualTo(WINDOW + 1);
    assertThat(statusOf()).isEqualTo(JobStatus.CANCELLING);
  }

  private JobStatus statusOf() throws Exception {
    var details = jobMaster.requestDetails();
    mainThread.runAll();
    return details.get().status();
  }
}
