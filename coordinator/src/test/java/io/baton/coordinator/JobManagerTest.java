package io.baton.coordinator;

import static io.baton.coordinator.FakeTaskManager.Behavior.FAIL;
import static io.baton.coordinator.FakeTaskManager.Behavior.FINISH;
import static io.baton.coordinator.FakeTaskManager.Behavior.RUN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.baton.api.graph.JobEdge;
import io.baton.api.graph.JobGraph;
import io.baton.api.graph.TaskVertex;
import io.baton.common.config.IllegalConfigurationException;
import io.baton.common.execution.ExecutionState;
import io.baton.common.ids.JobId;
import io.baton.common.rpc.CancelTaskRequest;
import io.baton.common.rpc.FreeSlotRequest;
import io.baton.common.rpc.InputChannelDescriptor;
import io.baton.common.rpc.InputGateDescriptor;
import io.baton.common.rpc.ResultPartitionDescriptor;
import io.baton.common.rpc.SubmitTaskRequest;
import io.baton.coordinator.dispatcher.DispatcherGateway;
import io.baton.coordinator.dispatcher.UnknownJobException;
import io.baton.coordinator.jobmaster.JobSubmission;
import io.baton.coordinator.status.ClusterOverview;
import io.baton.coordinator.status.JobDetails;
import io.baton.coordinator.status.JobStatus;
import io.baton.coordinator.status.TaskManagerDetails;
import io.baton.coordinator.status.VertexDetails;
import java.io.ByteArrayInputStream;
import java.io.ObjectInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobManagerTest {
  @TempDir Path blobDir;
  private JobManagerTestCluster cluster;

  @AfterEach
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private JobManagerTestCluster start(Map<String, String> settings) throws Exception {
    cluster = new JobManagerTestCluster(blobDir, settings);
    return cluster;
  }

  private List<SubmitTaskRequest> allSubmitted() {
    return cluster.taskManagers.stream().flatMap(tm -> tm.submitted.stream()).toList();
  }

  private List<SubmitTaskRequest> submittedInAttempt(int attempt) {
    return allSubmitted().stream().filter(r -> r.getAttemptNumber() == attempt).toList();
  }

  private List<CancelTaskRequest> allCancelled() {
    return cluster.taskManagers.stream().flatMap(tm -> tm.cancelled.stream()).toList();
  }

  private List<FreeSlotRequest> allFreed() {
    return cluster.taskManagers.stream().flatMap(tm -> tm.freed.stream()).toList();
  }

  private static Set<String> executionIds(List<SubmitTaskRequest> requests) {
    return requests.stream().map(SubmitTaskRequest::getExecutionId).collect(Collectors.toSet());
  }

  private static Function<SubmitTaskRequest, FakeTaskManager.Behavior> inAttempt(
      int attempt,
      Function<SubmitTaskRequest, FakeTaskManager.Behavior> then,
      FakeTaskManager.Behavior otherwise) {
    return r -> r.getAttemptNumber() == attempt ? then.apply(r) : otherwise;
  }

  private ClusterOverview overview() throws Exception {
    return cluster.jobManager.dispatcher().requestClusterOverview().get(5, TimeUnit.SECONDS);
  }

  @Test
  void aJobRunsToFinishedOnTwoTaskManagers() throws Exception {
    start(Map.of());
    cluster.addTaskManager(2);
    cluster.addTaskManager(2);

    JobId id = cluster.submit(JobManagerTestCluster.wordCount());
    JobDetails done = cluster.awaitStatus(id, JobStatus.FINISHED);

    assertThat(done.name()).isEqualTo("word-count");
    assertThat(done.taskCounts())
        .containsEntry(ExecutionState.FINISHED, 8)
        .containsEntry(ExecutionState.RUNNING, 0)
        .containsEntry(ExecutionState.FAILED, 0)
        .hasSize(8);
    assertThat(done.vertices())
        .extracting(VertexDetails::name, VertexDetails::parallelism, VertexDetails::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("source", 2, ExecutionState.FINISHED),
            org.assertj.core.groups.Tuple.tuple("count", 3, ExecutionState.FINISHED),
            org.assertj.core.groups.Tuple.tuple("sink", 3, ExecutionState.FINISHED));
    assertThat(done.restarts()).isZero();
    assertThat(done.failureCause()).isNull();
    assertThat(done.endTime()).isGreaterThanOrEqualTo(done.startTime());
    assertThat(done.duration()).isEqualTo(done.endTime() - done.startTime());
    assertThat(allSubmitted()).hasSize(8);

    // slot sharing: 3 slots, spread 2 + 1 over the two TaskManagers, all freed at the end
    Set<String> allocations =
        allSubmitted().stream().map(SubmitTaskRequest::getAllocationId).collect(Collectors.toSet());
    assertThat(allocations).hasSize(3);
    assertThat(cluster.taskManagers)
        .extracting(
            tm -> tm.submitted.stream().map(SubmitTaskRequest::getAllocationId).distinct().count())
        .containsExactlyInAnyOrder(2L, 1L);
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(allFreed())
                    .extracting(FreeSlotRequest::getAllocationId)
                    .containsExactlyInAnyOrderElementsOf(allocations));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> overview().equals(new ClusterOverview(2, 4, 4, 0, 1, 0, 0)));
    assertThat(cluster.jobManager.dispatcher().listJobs().get(5, TimeUnit.SECONDS))
        .extracting(JobDetails::id)
        .containsExactly(id);
  }

  @Test
  void deploymentDescriptorsWireEveryEdge() throws Exception {
    start(Map.of());
    FakeTaskManager a = cluster.addTaskManager(2);
    FakeTaskManager b = cluster.addTaskManager(2);
    JobId id = cluster.submit(JobManagerTestCluster.wordCount());
    cluster.awaitStatus(id, JobStatus.FINISHED);

    Map<String, SubmitTaskRequest> byTask =
        allSubmitted().stream()
            .collect(Collectors.toMap(r -> r.getVertexName() + "/" + r.getSubtaskIndex(), r -> r));
    assertThat(byTask).hasSize(8);
    Map<String, FakeTaskManager> tmOfExecution =
        Stream.of(a, b)
            .flatMap(tm -> tm.submitted.stream().map(r -> Map.entry(r.getExecutionId(), tm)))
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));

    for (SubmitTaskRequest r : byTask.values()) {
      assertThat(r.getJobId()).isEqualTo(id.toString());
      assertThat(r.getJobName()).isEqualTo("word-count");
      assertThat(r.getAttemptNumber()).isZero();
      assertThat(r.getBlobKey()).isEqualTo("jar-key");
      assertThat(r.getJobConfigMap()).containsEntry("execution.buffer-timeout", "5 ms");
      // subtask i of every vertex shares the job's i-th slot
      assertThat(r.getAllocationId())
          .isEqualTo(byTask.get("count/" + r.getSubtaskIndex()).getAllocationId());
      TaskVertex tv = deserialize(r);
      assertThat(tv.vertex().id()).isEqualTo(r.getVertexId());
      assertThat(tv.vertex().name()).isEqualTo(r.getVertexName());
      assertThat(tv.outputs())
          .extracting(JobEdge::index)
          .containsExactlyElementsOf(
              r.getOutputsList().stream().map(ResultPartitionDescriptor::getEdgeIndex).toList());
    }

    SubmitTaskRequest source0 = byTask.get("source/0");
    assertThat(source0.getParallelism()).isEqualTo(2);
    assertThat(source0.getMaxParallelism()).isEqualTo(128);
    assertThat(source0.getInputsList()).isEmpty();
    assertThat(source0.getOutputsList())
        .singleElement()
        .satisfies(
            out -> {
              assertThat(out.getPartitionId()).isEqualTo(source0.getExecutionId() + "-0");
              assertThat(out.getEdgeIndex()).isZero();
              assertThat(out.getTargetVertexId()).isEqualTo(2);
              assertThat(out.getPartitioning()).isEqualTo("HASH");
              assertThat(out.getNumberOfSubpartitions()).isEqualTo(3);
              assertThat(out.getTargetMaxParallelism()).isEqualTo(64);
            });

    for (int j = 0; j < 3; j++) {
      SubmitTaskRequest count = byTask.get("count/" + j);
      assertThat(count.getInputsList())
          .singleElement()
          .satisfies(
              gate -> {
                assertThat(gate.getEdgeIndex()).isZero();
                assertThat(gate.getSourceVertexId()).isEqualTo(1);
              });
      InputGateDescriptor gate = count.getInputs(0);
      assertThat(gate.getChannelsList()).hasSize(2);
      for (int p = 0; p < 2; p++) {
        SubmitTaskRequest producer = byTask.get("source/" + p);
        InputChannelDescriptor ch = gate.getChannels(p);
        assertThat(ch.getPartitionId()).isEqualTo(producer.getExecutionId() + "-0");
        assertThat(ch.getSubpartitionIndex()).isEqualTo(j);
        assertThat(ch.getProducerSubtaskIndex()).isEqualTo(p);
        FakeTaskManager producerTm = tmOfExecution.get(producer.getExecutionId());
        assertThat(ch.getProducerTaskManagerId()).isEqualTo(producerTm.id.toString());
        assertThat(ch.getProducerAddress().getHost()).isEqualTo("127.0.0.1");
        assertThat(ch.getProducerAddress().getPort()).isEqualTo(producerTm.port());
      }
      assertThat(count.getOutputsList())
          .singleElement()
          .satisfies(
              out -> {
                assertThat(out.getPartitionId()).isEqualTo(count.getExecutionId() + "-1");
                assertThat(out.getPartitioning()).isEqualTo("FORWARD");
                // pointwise: only sink j reads count j's partition
                assertThat(out.getNumberOfSubpartitions()).isEqualTo(1);
                assertThat(out.getTargetMaxParallelism()).isEqualTo(32);
              });

      SubmitTaskRequest sink = byTask.get("sink/" + j);
      assertThat(sink.getOutputsList()).isEmpty();
      assertThat(sink.getInputsList())
          .singleElement()
          .satisfies(
              in -> {
                assertThat(in.getEdgeIndex()).isEqualTo(1);
                assertThat(in.getChannelsList())
                    .singleElement()
                    .satisfies(
                        ch -> {
                          assertThat(ch.getPartitionId())
                              .isEqualTo(
                                  byTask.get("count/" + sink.getSubtaskIndex()).getExecutionId()
                                      + "-1");
                          assertThat(ch.getSubpartitionIndex()).isZero();
                        });
              });
    }
  }

  private static TaskVertex deserialize(SubmitTaskRequest r) throws Exception {
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(r.getSerializedVertex().toByteArray()))) {
      return (TaskVertex) in.readObject();
    }
  }

  @Test
  void everyRequestToATaskManagerCarriesTheFencingToken() throws Exception {
    start(Map.of());
    FakeTaskManager a = cluster.addTaskManager(2).behave(r -> RUN);
    FakeTaskManager b = cluster.addTaskManager(2).behave(r -> RUN);
    JobId id = cluster.submit(JobManagerTestCluster.wordCount());
    cluster.awaitAllTasks(id, ExecutionState.RUNNING);
    cluster.jobManager.dispatcher().cancelJob(id).get(5, TimeUnit.SECONDS);
    cluster.awaitStatus(id, JobStatus.CANCELED);
    await().atMost(Duration.ofSeconds(5)).until(() -> allFreed().size() == 3);

    String token = cluster.jobManager.fencingToken();
    assertThat(token).matches("[0-9a-f-]{36}");
    // 8 submissions, 8 cancellations, 3 slots freed
    List<String> tokens = Stream.concat(a.tokens.stream(), b.tokens.stream()).toList();
    assertThat(tokens).hasSize(19).containsOnly(token);
  }

  @Test
  void aFailedTaskRestartsTheJobWithNewExecutions() throws Exception {
    start(
        Map.of(
            "restart-strategy.type", "fixed-delay",
            "restart-strategy.fixed-delay.attempts", "2",
            "restart-strategy.fixed-delay.delay", "100 ms"));
    Function<SubmitTaskRequest, FakeTaskManager.Behavior> behavior =
        inAttempt(
            0,
            r -> r.getVertexName().equals("count") && r.getSubtaskIndex() == 1 ? FAIL : RUN,
            FINISH);
    cluster.addTaskManager(2).behave(behavior);
    cluster.addTaskManager(2).behave(behavior);

    JobId id = cluster.submit(JobManagerTestCluster.wordCount());
    JobDetails done = cluster.awaitStatus(id, JobStatus.FINISHED);

    assertThat(done.restarts()).isEqualTo(1);
    assertThat(done.failureCause())
        .startsWith("java.lang.RuntimeException: boom in count subtask 1");
    assertThat(done.vertices())
        .flatExtracting(VertexDetails::subtasks)
        .allSatisfy(s -> assertThat(s.attempt()).isEqualTo(1));
    List<SubmitTaskRequest> first = submittedInAttempt(0);
    List<SubmitTaskRequest> second = submittedInAttempt(1);
    assertThat(first).hasSize(8);
    assertThat(second).hasSize(8);
    Set<String> firstIds = executionIds(first);
    Set<String> secondIds = executionIds(second);
    assertThat(secondIds).hasSize(8).doesNotContainAnyElementsOf(firstIds);
    // every other task of the first attempt was cancelled before the restart
    Set<String> expectedCancels = new HashSet<>(firstIds);
    expectedCancels.remove(
        first.stream()
            .filter(r -> r.getVertexName().equals("count") && r.getSubtaskIndex() == 1)
            .findFirst()
            .orElseThrow()
            .getExecutionId());
    assertThat(allCancelled())
        .extracting(CancelTaskRequest::getExecutionId)
        .containsExactlyInAnyOrderElementsOf(expectedCancels);
    // the second attempt reads from the second attempt's producers
    SubmitTaskRequest count0 =
        second.stream()
            .filter(r -> r.getVertexName().equals("count") && r.getSubtaskIndex() == 0)
            .findFirst()
            .orElseThrow();
    assertThat(count0.getInputs(0).getChannelsList())
        .allSatisfy(
            ch ->
                assertThat(secondIds)
                    .contains(ch.getPartitionId().substring(0, ch.getPartitionId().length() - 2)));
  }

  @Test
  void exhaustingTheRestartStrategyFailsTheJobWithTheRootCause() throws Exception {
    start(
        Map.of(
            "restart-strategy.type", "fixed-delay",
            "restart-strategy.fixed-delay.attempts", "1",
            "restart-strategy.fixed-delay.delay", "50 ms"));
    Function<SubmitTaskRequest, FakeTaskManager.Behavior> behavior =
        r -> r.getVertexName().equals("count") && r.getSubtaskIndex() == 0 ? FAIL : RUN;
    cluster.addTaskManager(2).behave(behavior);
    cluster.addTaskManager(2).behave(behavior);

    JobId id = cluster.submit(JobManagerTestCluster.wordCount());
    JobDetails failed = cluster.awaitStatus(id, JobStatus.FAILED);

    assertThat(failed.restarts()).isEqualTo(1);
    assertThat(failed.failureCause())
        .startsWith("java.lang.RuntimeException: boom in count subtask 0")
        .contains("\tat io.baton.test.Boom.run");
    assertThat(failed.taskCounts().get(ExecutionState.FAILED)).isEqualTo(1);
    assertThat(failed.taskCounts().get(ExecutionState.CANCELED)).isEqualTo(7);
    assertThat(submittedInAttempt(1)).hasSize(8);
    assertThat(submittedInAttempt(2)).isEmpty();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> overview().equals(new ClusterOverview(2, 4, 4, 0, 0, 0, 1)));
  }

  @Test
  void withoutEnoughSlotsTheJobFailsWithNoResourceAvailable() throws Exception {
    start(Map.of("slot.request.timeout", "500 ms"));
    cluster.addTaskManager(2);

    JobId id = cluster.submit(JobManagerTestCluster.wordCount());
    JobDetails failed = cluster.awaitStatus(id, JobStatus.FAILED);

    assertThat(failed.failureCause())
        .contains("NoResourceAvailableException: could not get 3 slots within 500 ms (2 free)");
    assertThat(failed.taskCounts().get(ExecutionState.CANCELED)).isEqualTo(8);
    assertThat(allSubmitted()).isEmpty();
  }

  @Test
  void aSilentTaskManagerIsReleasedAndTheJobRestartsOnTheRemainingSlots() throws Exception {
    start(
        Map.of(
            "restart-strategy.type", "fixed-delay",
            "restart-strategy.fixed-delay.attempts", "3",
            "restart-strategy.fixed-delay.delay", "50 ms"));
    Function<SubmitTaskRequest, FakeTaskManager.Behavior> behavior = inAttempt(0, r -> RUN, FINISH);
    FakeTaskManager doomed = cluster.addTaskManager(3).behave(behavior);
    FakeTaskManager survivor = cluster.addTaskManager(3).behave(behavior);
    JobId id = cluster.submit(JobManagerTestCluster.wordCount());
    cluster.awaitAllTasks(id, ExecutionState.RUNNING);
    assertThat(doomed.submitted).isNotEmpty();

    long stoppedAt = System.nanoTime();
    doomed.stopHeartbeats();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                cluster
                    .jobManager
                    .dispatcher()
                    .requestTaskManagers()
                    .get(5, TimeUnit.SECONDS)
                    .stream()
                    .map(TaskManagerDetails::id)
                    .toList()
                    .equals(List.of(survivor.id.toString())));
    long releasedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedAt);
    // silent for heartbeat.timeout, noticed by the next check (every interval / 2)
    assertThat(releasedAfterMs)
        .isLessThanOrEqualTo(
            JobManagerTestCluster.HEARTBEAT_TIMEOUT_MS
                + 2 * JobManagerTestCluster.HEARTBEAT_INTERVAL_MS
                + 700);

    JobDetails done = cluster.awaitStatus(id, JobStatus.FINISHED);
    assertThat(done.restarts()).isEqualTo(1);
    assertThat(done.failureCause())
        .contains("TaskManagerLostException")
        .contains(doomed.id.toString());
    assertThat(doomed.submittedInAttempt(1)).isEmpty();
    assertThat(survivor.submittedInAttempt(1)).hasSize(8);
    assertThat(cluster.scrape()).contains("baton_taskmanagers_lost_total 1.0");
  }

  @Test
  void cancellingAJobCancelsItsTasks() throws Exception {
    start(Map.of());
    cluster.addTaskManager(2).behave(r -> RUN);
    cluster.addTaskManager(2).behave(r -> RUN);
    JobId id = cluster.submit(JobManagerTestCluster.wordCount());
    cluster.awaitAllTasks(id, ExecutionState.RUNNING);
    assertThat(cluster.details(id).status()).isEqualTo(JobStatus.RUNNING);

    cluster.jobManager.dispatcher().cancelJob(id).get(5, TimeUnit.SECONDS);
    JobDetails cancelled = cluster.awaitStatus(id, JobStatus.CANCELED);

    assertThat(cancelled.taskCounts().get(ExecutionState.CANCELED)).isEqualTo(8);
    assertThat(allCancelled())
        .extracting(CancelTaskRequest::getExecutionId)
        .containsExactlyInAnyOrderElementsOf(executionIds(allSubmitted()));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> overview().equals(new ClusterOverview(2, 4, 4, 0, 0, 1, 0)));
  }

  @Test
  void onlyTheLatestFinishedJobsAreKept() throws Exception {
    start(Map.of("jobstore.max-capacity", "1"));
    cluster.addTaskManager(3);
    JobId first = cluster.submit(JobManagerTestCluster.wordCount());
    cluster.awaitStatus(first, JobStatus.FINISHED);

    JobId second = cluster.submit(JobManagerTestCluster.wordCount());
    cluster.awaitStatus(second, JobStatus.FINISHED);

    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                cluster
                    .jobManager
                    .dispatcher()
                    .requestJob(first)
                    .get(5, TimeUnit.SECONDS)
                    .isEmpty());
    assertThat(cluster.jobManager.dispatcher().listJobs().get(5, TimeUnit.SECONDS))
        .extracting(JobDetails::id)
        .containsExactly(second);
    assertThat(cluster.scrape())
        .contains("baton_jobs{state=\"FINISHED\"} 1.0")
        .doesNotContain("job_id=\"" + first + "\"");
  }

  @Test
  void submissionsThatCannotRunAreRefusedWithTheReason() throws Exception {
    start(Map.of());
    DispatcherGateway dispatcher = cluster.jobManager.dispatcher();
    JobGraph graph = JobManagerTestCluster.wordCount();

    assertThatThrownBy(
            () ->
                dispatcher
                    .submitJob(new JobSubmission(graph, Optional.empty(), Optional.of("/sp/1")))
                    .get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .hasMessage("not a savepoint or retained checkpoint: /sp/1: no _metadata file");
    JobGraph badRestart =
        new JobGraph(
            graph.name(),
            graph.vertices(),
            graph.edges(),
            Map.of("restart-strategy.type", "sometimes"));
    assertThatThrownBy(
            () ->
                dispatcher
                    .submitJob(new JobSubmission(badRestart, Optional.empty(), Optional.empty()))
                    .get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(IllegalConfigurationException.class)
        .cause()
        .hasMessageContaining("restart-strategy.type")
        .hasMessageContaining("sometimes");
    assertThat(dispatcher.listJobs().get(5, TimeUnit.SECONDS)).isEmpty();
  }

  @Test
  void cancellingAnUnknownJobFails() throws Exception {
    start(Map.of());

    assertThatThrownBy(
            () ->
                cluster.jobManager.dispatcher().cancelJob(JobId.random()).get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(UnknownJobException.class);
    assertThat(cluster.jobManager.dispatcher().requestJob(JobId.random()).get(5, TimeUnit.SECONDS))
        .isEmpty();
  }

  @Test
  void taskManagersShowTheirSlotsAndHeap() throws Exception {
    start(Map.of());
    FakeTaskManager a = cluster.addTaskManager(2);

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(
                        cluster
                            .jobManager
                            .dispatcher()
                            .requestTaskManagers()
                            .get(5, TimeUnit.SECONDS))
                    .singleElement()
                    .satisfies(
                        d -> {
                          assertThat(d.id()).isEqualTo(a.id.toString());
                          assertThat(d.address()).isEqualTo("127.0.0.1:" + a.port());
                          assertThat(d.slotsNumber()).isEqualTo(2);
                          assertThat(d.freeSlots()).isEqualTo(2);
                          assertThat(d.cpuCores()).isEqualTo(2);
                          assertThat(d.heapMax()).isEqualTo(512L << 20);
                          assertThat(d.heapUsed()).isEqualTo(64L << 20);
                        }));
  }

  @Test
  void metricsShowJobsTasksSlotsAndHeartbeats() throws Exception {
    start(Map.of());
    FakeTaskManager a = cluster.addTaskManager(2).behave(r -> RUN);
    cluster.addTaskManager(2).behave(r -> RUN);
    JobId id = cluster.submit(JobManagerTestCluster.wordCount());
    cluster.awaitAllTasks(id, ExecutionState.RUNNING);

    String job = "job_id=\"" + id + "\",job_name=\"word-count\"";
    // every running task reports 10 records in and 20 out with each heartbeat
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> cluster.scrape().contains("baton_task_records_in_total{" + job + "} 80.0"));
    String text = cluster.scrape();
    assertThat(text)
        .contains("baton_jobs{state=\"RUNNING\"} 1.0")
        .contains("baton_jobs{state=\"FINISHED\"} 0.0")
        .contains("baton_job_restarts_total{" + job + "} 0.0")
        .contains("baton_tasks{state=\"RUNNING\"} 8.0")
        .contains("baton_tasks{state=\"FAILED\"} 0.0")
        .contains("# TYPE baton_slots gauge\nbaton_slots 4.0")
        .contains("baton_slots_available 1.0")
        .contains("baton_taskmanagers_registered 2.0")
        .contains("baton_heartbeat_last_age_seconds{taskmanager_id=\"" + a.id + "\"}")
        .contains("baton_heartbeats_missed_total")
        .contains("baton_taskmanagers_lost_total 0.0")
        .contains("baton_task_records_out_total{" + job + "} 160.0")
        .contains("# TYPE baton_task_records_out_total counter")
        // the JVM's and the process's own figures, under Prometheus' usual names
        .contains("jvm_memory_used_bytes{area=\"heap\"")
        .contains("jvm_threads_live_threads ")
        .contains("jvm_classes_loaded_classes ")
        .contains("process_uptime_seconds ")
        .contains("process_cpu_usage ")
        .contains("process_files_open_files ");
  }
}
