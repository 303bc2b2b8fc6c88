package io.baton.taskmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.baton.common.checkpoint.CheckpointAcknowledgement;
import io.baton.common.checkpoint.CheckpointDeclined;
import io.baton.common.config.Configuration;
import io.baton.common.config.HeartbeatOptions;
import io.baton.common.config.TaskManagerOptions;
import io.baton.common.ids.AllocationId;
import io.baton.common.ids.ExecutionId;
import io.baton.common.ids.JobId;
import io.baton.common.rpc.Ack;
import io.baton.common.rpc.CancelTaskRequest;
import io.baton.common.rpc.CheckpointNotification;
import io.baton.common.rpc.DeploymentMessages;
import io.baton.common.rpc.FreeSlotRequest;
import io.baton.common.rpc.SlotStatus;
import io.baton.common.rpc.SubmitTaskRequest;
import io.baton.common.rpc.TaskManagerHeartbeat;
import io.baton.common.rpc.TaskManagerServiceGrpc;
import io.baton.common.rpc.TaskState;
import io.baton.common.rpc.TaskStateUpdate;
import io.baton.common.rpc.TriggerCheckpointRequest;
import io.baton.common.security.TokenDigest;
import io.baton.taskmanager.network.GrpcNetworkEnvironment;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskManagerDeploymentTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String GREETING = "baton-test/greeting.txt";

  @TempDir Path tmp;

  private final FakeTasks tasks = new FakeTasks();
  private final JobId job = JobId.random();
  private FakeJobManager jobManager;
  private TaskManager taskManager;
  private ManagedChannel channel;
  private TaskManagerServiceGrpc.TaskManagerServiceBlockingStub taskManagerService;

  @AfterEach
  void tearDown() {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (taskManager != null) {
      taskManager.close();
    }
    if (jobManager != null) {
      jobManager.close();
    }
  }

  private void startRegistered(Configuration config) {
    taskManager = TaskManager.start(config, GrpcNetworkEnvironment::new, tasks);
    channel =
        NettyChannelBuilder.forAddress("127.0.0.1", taskManager.rpcPort()).usePlaintext().build();
    taskManagerService = TaskManagerServiceGrpc.newBlockingStub(channel);
    await().atMost(WAIT).until(() -> !jobManager.heartbeats.isEmpty());
  }

  private void startRegistered() {
    jobManager = FakeJobManager.onFreePort().start();
    startRegistered(TestConfigs.taskManager(jobManager.port, tmp));
  }

  private TaskManagerServiceGrpc.TaskManagerServiceBlockingStub service() {
    return taskManagerService.withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private SubmitTaskRequest.Builder task(AllocationId allocation, int slot) {
    return SubmitTaskRequest.newBuilder()
        .setFencingToken(jobManager.fencingToken)
        .setJobId(job.value())
        .setJobName("word count")
        .setExecutionId(ExecutionId.random().value())
        .setAllocationId(allocation.value())
        .setSlotIndex(slot)
        .setVertexId(1)
        .setVertexName("Tokenizer")
        .setSubtaskIndex(slot)
        .setParallelism(2)
        .setMaxParallelism(128);
  }

  private FakeTasks.FakeTask submitRunning(SubmitTaskRequest request) {
    Ack ack = service().submitTask(request);
    assertThat(ack.getError()).isEmpty();
    assertThat(ack.getOk()).isTrue();
    await()
        .atMost(WAIT)
        .until(() -> jobManager.statesOf(request.getExecutionId()).contains(TaskState.RUNNING));
    return tasks.get(request.getExecutionId());
  }

  private TaskManagerHeartbeat latestHeartbeat() {
    return jobManager.heartbeats.get(jobManager.heartbeats.size() - 1).heartbeat();
  }

  @Test
  void rejectsCommandsThatCarryAnotherJobManagersFencingToken() {
    startRegistered();
    String expected =
        "rejected: fencing token (digest "
            + TokenDigest.of("stale-token")
            + ") does not match the current JobManager's (digest "
            + TokenDigest.of(jobManager.fencingToken)
            + ")";

    Ack submit =
        service().submitTask(task(AllocationId.random(), 0).setFencingToken("stale-token").build());
    Ack cancel =
        service()
            .cancelTask(
                CancelTaskRequest.newBuilder()
                    .setFencingToken("stale-token")
                    .setJobId(job.value())
                    .setExecutionId(ExecutionId.random().value())
                    .build());
    Ack free =
        service()
            .freeSlot(
                FreeSlotRequest.newBuilder()
                    .setFencingToken("stale-token")
                    .setAllocationId(AllocationId.random().value())
                    .build());

    assertThat(List.of(submit, cancel, free))
        .allSatisfy(
            ack -> {
              assertThat(ack.getOk()).isFalse();
              assertThat(ack.getError()).isEqualTo(expected);
            });
    assertThat(tasks.created).isEmpty();
  }

  @Test
  void runsASubmittedTaskAndReportsItsStatesInOrder() {
    startRegistered();
    AllocationId allocation = AllocationId.random();
    SubmitTaskRequest request = task(allocation, 1).build();

    FakeTasks.FakeTask task = submitRunning(request);

    assertThat(DeploymentMessages.toProto(task.environment.descriptor(), jobManager.fencingToken))
        .isEqualTo(request);
    assertThat(task.environment.userClassLoader()).isSameAs(TaskManager.class.getClassLoader());
    assertThat(task.environment.network()).isInstanceOf(GrpcNetworkEnvironment.class);
    await()
        .atMost(WAIT)
        .until(
            () ->
                latestHeartbeat().getTaskMetricsList().stream()
                    .anyMatch(m -> m.getExecutionId().equals(request.getExecutionId())));
    assertThat(latestHeartbeat().getSlotsList())
        .filteredOn(s -> s.getSlotIndex() == 1)
        .singleElement()
        .satisfies(
            slot -> {
              assertThat(slot.getAllocationId()).isEqualTo(allocation.value());
              assertThat(slot.getJobId()).isEqualTo(job.value());
            });

    task.finish();

    await()
        .atMost(WAIT)
        .until(
            () ->
                jobManager
                    .statesOf(request.getExecutionId())
                    .equals(List.of(TaskState.RUNNING, TaskState.FINISHED)));
    assertThat(jobManager.stateUpdates)
        .allSatisfy(
            update -> {
              assertThat(update.getTaskManagerId()).isEqualTo(taskManager.id().value());
              assertThat(update.getJobId()).isEqualTo(job.value());
              assertThat(update.getFailureCause()).isEmpty();
            });
    // the slot stays with its allocation until the JobManager frees it
    await().atMost(WAIT).until(() -> latestHeartbeat().getTaskMetricsList().isEmpty());
    assertThat(latestHeartbeat().getSlots(1).getAllocationId()).isEqualTo(allocation.value());
  }

  @Test
  void reportsAFailedTaskWithItsCauseAndStackTrace() {
    startRegistered();
    SubmitTaskRequest request = task(AllocationId.random(), 0).build();
    FakeTasks.FakeTask task = submitRunning(request);

    task.fail(new IllegalStateException("boom in the tokenizer"));

    await()
        .atMost(WAIT)
        .until(() -> jobManager.statesOf(request.getExecutionId()).contains(TaskState.FAILED));
    TaskStateUpdate failed = jobManager.stateUpdates.get(jobManager.stateUpdates.size() - 1);
    assertThat(failed.getFailureCause())
        .startsWith("java.lang.IllegalStateException: boom in the tokenizer\n")
        .contains("\tat io.baton.taskmanager.TaskManagerDeploymentTest");
  }

  @Test
  void deliversAStateChangeMadeWhileTheJobManagerWasUnreachable() {
    jobManager = FakeJobManager.onFreePort().start();
    startRegistered(
        TestConfigs.taskManager(jobManager.port, tmp)
            .set(HeartbeatOptions.TIMEOUT, Duration.ofSeconds(20)));
    SubmitTaskRequest request = task(AllocationId.random(), 0).build();
    FakeTasks.FakeTask task = submitRunning(request);

    jobManager.stop();
    task.finish();
    await().atMost(WAIT).until(() -> task.terminationFuture().isDone());
    jobManager.start();

    await()
        .atMost(WAIT)
        .until(
            () ->
                jobManager
                    .statesOf(request.getExecutionId())
                    .equals(List.of(TaskState.RUNNING, TaskState.FINISHED)));
  }

  @Test
  void rejectsASlotHeldByAnotherAllocationOrOutOfRange() {
    startRegistered();
    AllocationId holder = AllocationId.random();
    submitRunning(task(holder, 0).build());

    AllocationId other = AllocationId.random();
    Ack taken = service().submitTask(task(other, 0).build());
    Ack outOfRange = service().submitTask(task(other, 2).build());

    assertThat(taken.getOk()).isFalse();
    assertThat(taken.getError())
        .isEqualTo("rejected: slot 0 is held by allocation " + holder + " of job " + job);
    assertThat(outOfRange.getOk()).isFalse();
    assertThat(outOfRange.getError())
        .isEqualTo("rejected: slot index 2 is out of range: this TaskManager has 2 slot(s)");
    assertThat(tasks.created).hasSize(1);
  }

  @Test
  void cancelsATaskAndAcknowledgesCancellingAnUnknownOne() {
    startRegistered();
    SubmitTaskRequest request = task(AllocationId.random(), 0).build();
    FakeTasks.FakeTask task = submitRunning(request);

    Ack cancel =
        service()
            .cancelTask(
                CancelTaskRequest.newBuilder()
                    .setFencingToken(jobManager.fencingToken)
                    .setJobId(job.value())
                    .setExecutionId(request.getExecutionId())
                    .build());
    Ack unknown =
        service()
            .cancelTask(
                CancelTaskRequest.newBuilder()
                    .setFencingToken(jobManager.fencingToken)
                    .setJobId(job.value())
                    .setExecutionId(ExecutionId.random().value())
                    .build());

    assertThat(cancel.getOk()).isTrue();
    assertThat(unknown.getOk()).isTrue();
    assertThat(task.cancelRequested).isTrue();
    await()
        .atMost(WAIT)
        .until(
            () ->
                jobManager
                    .statesOf(request.getExecutionId())
                    .equals(List.of(TaskState.RUNNING, TaskState.CANCELED)));
  }

  @Test
  void declaresATaskThatDoesNotStopAfterCancelFailed() {
    jobManager = FakeJobManager.onFreePort().start();
    startRegistered(
        TestConfigs.taskManager(jobManager.port, tmp)
            .set(TaskManagerOptions.TASK_CANCELLATION_TIMEOUT, Duration.ofMillis(300)));
    tasks.ignoreCancel = true;
    SubmitTaskRequest request = task(AllocationId.random(), 0).build();
    FakeTasks.FakeTask task = submitRunning(request);

    Ack cancel =
        service()
            .cancelTask(
                CancelTaskRequest.newBuilder()
                    .setFencingToken(jobManager.fencingToken)
                    .setJobId(job.value())
                    .setExecutionId(request.getExecutionId())
                    .build());

    assertThat(cancel.getOk()).isTrue();
    await()
        .atMost(WAIT)
        .until(
            () ->
                jobManager
                    .statesOf(request.getExecutionId())
                    .equals(List.of(TaskState.RUNNING, TaskState.FAILED)));
    assertThat(jobManager.stateUpdates.get(jobManager.stateUpdates.size() - 1).getFailureCause())
        .isEqualTo(
            "io.baton.taskmanager.executor.TaskCancellationTimeoutException: Tokenizer (1/2) did"
                + " not stop within task.cancellation.timeout (300 ms) after it was cancelled\n");
    assertThat(task.terminationFuture()).isNotDone();
    await().atMost(WAIT).until(() -> latestHeartbeat().getTaskMetricsList().isEmpty());
  }

  @Test
  void aTaskWhoseUserCodeCallsSystemExitIsReportedFailedAndNotWaitedFor() {
    jobManager = FakeJobManager.onFreePort().start();
    startRegistered(
        TestConfigs.taskManager(jobManager.port, tmp)
            .set(TaskManagerOptions.TASK_CANCELLATION_TIMEOUT, Duration.ofSeconds(30)));
    tasks.ignoreCancel = true;
    SubmitTaskRequest request = task(AllocationId.random(), 0).build();
    FakeTasks.FakeTask task = submitRunning(request);
    // its thread now waits in System.exit for the shutdown hook, which closes the TaskManager
    task.exitingJvm = true;

    long start = System.nanoTime();
    taskManager.close();
    Duration closing = Duration.ofNanos(System.nanoTime() - start);

    assertThat(closing).as("closing the TaskManager").isLessThan(Duration.ofSeconds(10));
    assertThat(jobManager.statesOf(request.getExecutionId()))
        .containsExactly(TaskState.RUNNING, TaskState.FAILED);
    assertThat(jobManager.stateUpdates.get(jobManager.stateUpdates.size() - 1).getFailureCause())
        .isEqualTo(
            "io.baton.taskmanager.executor.UserCodeExitException: user code of Tokenizer (1/2)"
                + " called System.exit: TaskManager "
                + taskManager.id()
                + " is exiting\n");
    assertThat(task.terminationFuture()).isNotDone();
  }

  @Test
  void loadsTheJobJarOnceForAllItsTasksAndReleasesItWhenTheJobsLastSlotIsFreed() throws Exception {
    jobManager = FakeJobManager.onFreePort().start();
    String blobKey = "5d41402abc4b2a76b9719d911017c592";
    jobManager.blobs.put(blobKey, jarWith(GREETING, "hello from the job jar"));
    startRegistered(TestConfigs.taskManager(jobManager.port, tmp));
    AllocationId first = AllocationId.random();
    AllocationId second = AllocationId.random();

    FakeTasks.FakeTask one = submitRunning(task(first, 0).setBlobKey(blobKey).build());
    FakeTasks.FakeTask two = submitRunning(task(second, 1).setBlobKey(blobKey).build());

    ClassLoader loader = one.environment.userClassLoader();
    assertThat(two.environment.userClassLoader()).isSameAs(loader);
    assertThat(loader).isNotSameAs(TaskManager.class.getClassLoader());
    assertThat(read(loader.getResource(GREETING))).isEqualTo("hello from the job jar");
    assertThat(jobManager.blobDownloads).hasValue(1);
    Path jar =
        tmp.resolve("baton-tm-" + taskManager.id())
            .resolve("blobs")
            .resolve(job.value())
            .resolve(blobKey + ".jar");
    assertThat(jar).isRegularFile();

    assertThat(service().freeSlot(free(first)).getOk()).isTrue();

    await().atMost(WAIT).until(() -> one.terminationFuture().isDone());
    assertThat(one.cancelRequested).isTrue();
    assertThat(two.cancelRequested).isFalse();
    // the job still holds a slot here: its classes stay loadable
    assertThat(loader.getResource(GREETING)).isNotNull();
    assertThat(jar).isRegularFile();

    assertThat(service().freeSlot(free(second)).getOk()).isTrue();

    await().atMost(WAIT).until(() -> loader.getResource(GREETING) == null);
    await().atMost(WAIT).until(() -> !Files.exists(jar));
    await()
        .atMost(WAIT)
        .until(
            () ->
                latestHeartbeat().getSlotsList().stream()
                    .allMatch(s -> s.getAllocationId().isEmpty()));
  }

  @Test
  void answersWithTheReasonWhenTheJobJarCannotBeFetched() {
    startRegistered();

    Ack ack = service().submitTask(task(AllocationId.random(), 0).setBlobKey("missing").build());

    assertThat(ack.getOk()).isFalse();
    assertThat(ack.getError())
        .isEqualTo(
            "cannot deploy Tokenizer (1/2): could not download blob missing of job "
                + job
                + " from JobManager 127.0.0.1:"
                + jobManager.port
                + ": NOT_FOUND (no blob missing)");
    assertThat(tasks.created).isEmpty();
  }

  @Test
  void releasesItsSlotsWhenTheSameJobManagerRegistersItAfresh() {
    startRegistered();
    SubmitTaskRequest request = task(AllocationId.random(), 0).build();
    FakeTasks.FakeTask task = submitRunning(request);

    jobManager.stop();
    jobManager.start();

    // The tasks run on while the JobManager is away, and are offered with the new registration...
    await().atMost(WAIT).until(() -> jobManager.registrations.size() == 2);
    assertThat(jobManager.registrations.get(1).getRunningExecutionIdsList())
        .containsExactly(request.getExecutionId());
    // ...but a JobManager takes every registration as new and fails the old slots' jobs over, so
    // the TaskManager lets go of them rather than hold slots nobody will use again.
    await().atMost(WAIT).until(() -> task.terminationFuture().isDone());
    assertThat(task.cancelRequested).isTrue();
    await()
        .atMost(WAIT)
        .until(
            () ->
                latestHeartbeat().getRegistrationId().equals(jobManager.registrationId())
                    && latestHeartbeat().getSlotsList().stream()
                        .map(SlotStatus::getAllocationId)
                        .allMatch(String::isEmpty));
  }

  @Test
  void cancelsItsTasksAndFreesItsSlotsWhenAnotherJobManagerTookOver() {
    startRegistered();
    SubmitTaskRequest request = task(AllocationId.random(), 0).build();
    FakeTasks.FakeTask task = submitRunning(request);
    String oldToken = jobManager.fencingToken;

    jobManager.stop();
    jobManager.fencingToken = UUID.randomUUID().toString();
    jobManager.start();

    await().atMost(WAIT).until(() -> task.terminationFuture().isDone());
    assertThat(task.cancelRequested).isTrue();
    await()
        .atMost(WAIT)
        .until(
            () ->
                latestHeartbeat().getRegistrationId().equals(jobManager.registrationId())
                    && latestHeartbeat().getSlotsList().stream()
                        .map(SlotStatus::getAllocationId)
                        .allMatch(String::isEmpty));
    Ack fromOldLeader =
        service().submitTask(task(AllocationId.random(), 1).setFencingToken(oldToken).build());
    assertThat(fromOldLeader.getError())
        .isEqualTo(
            "rejected: fencing token (digest "
                + TokenDigest.of(oldToken)
                + ") does not match the current JobManager's (digest "
                + TokenDigest.of(jobManager.fencingToken)
                + ")");
  }

  @Test
  void routesCheckpointCallsToTheTaskAndItsAnswersToTheJobManager() {
    startRegistered();
    SubmitTaskRequest request = task(AllocationId.random(), 0).build();
    FakeTasks.FakeTask task = submitRunning(request);
    String dir = tmp.resolve("chk-7").toUri().toString();

    Ack trigger =
        service()
            .triggerCheckpoint(
                TriggerCheckpointRequest.newBuilder()
                    .setFencingToken(jobManager.fencingToken)
                    .setJobId(job.value())
                    .setExecutionId(request.getExecutionId())
                    .setCheckpointId(7)
                    .setCheckpointDir(dir)
                    .build());
    Ack complete = service().notifyCheckpointComplete(notification(request, 7));
    Ack aborted = service().notifyCheckpointAborted(notification(request, 8));
    task.environment
        .checkpointResponder()
        .acknowledge(
            new CheckpointAcknowledgement(
                job,
                ExecutionId.parse(request.getExecutionId()),
                7,
                List.of(),
                Duration.ZERO,
                Duration.ZERO,
                Duration.ZERO));
    task.environment
        .checkpointResponder()
        .decline(
            new CheckpointDeclined(
                job, ExecutionId.parse(request.getExecutionId()), 8, "disk full"));

    assertThat(List.of(trigger, complete, aborted))
        .allSatisfy(ack -> assertThat(ack.getOk()).isTrue());
    assertThat(task.checkpointCalls).containsExactly("trigger 7 " + dir, "complete 7", "abort 8");
    await().atMost(WAIT).until(() -> jobManager.checkpointAcks.size() == 1);
    assertThat(jobManager.checkpointAcks.get(0).getExecutionId())
        .isEqualTo(request.getExecutionId());
    await().atMost(WAIT).until(() -> jobManager.checkpointDeclines.size() == 1);
    assertThat(jobManager.checkpointDeclines.get(0).getReason()).isEqualTo("disk full");
  }

  @Test
  void refusesCheckpointCallsWithAStaleTokenOrForAnUnknownTask() {
    startRegistered();
    SubmitTaskRequest request = task(AllocationId.random(), 0).build();
    FakeTasks.FakeTask task = submitRunning(request);
    String unknown = ExecutionId.random().value();

    Ack stale =
        service()
            .triggerCheckpoint(
                TriggerCheckpointRequest.newBuilder()
                    .setFencingToken("stale-token")
                    .setExecutionId(request.getExecutionId())
                    .setCheckpointId(1)
                    .build());
    Ack staleComplete =
        service()
            .notifyCheckpointComplete(
                notification(request, 1).toBuilder().setFencingToken("stale-token").build());
    Ack unknownTask =
        service()
            .triggerCheckpoint(
                TriggerCheckpointRequest.newBuilder()
                    .setFencingToken(jobManager.fencingToken)
                    .setJobId(job.value())
                    .setExecutionId(unknown)
                    .setCheckpointId(1)
                    .build());
    task.finish();
    await()
        .atMost(WAIT)
        .until(() -> jobManager.statesOf(request.getExecutionId()).contains(TaskState.FINISHED));
    Ack ended = service().notifyCheckpointAborted(notification(request, 1));

    assertThat(List.of(stale, staleComplete))
        .allSatisfy(
            ack -> {
              assertThat(ack.getOk()).isFalse();
              assertThat(ack.getError())
                  .isEqualTo(
                      "rejected: fencing token (digest "
                          + TokenDigest.of("stale-token")
                          + ") does not match the current JobManager's (digest "
                          + TokenDigest.of(jobManager.fencingToken)
                          + ")");
            });
    assertThat(unknownTask.getOk()).isFalse();
    assertThat(unknownTask.getError()).startsWith("execution " + unknown + " is not running on");
    assertThat(ended.getOk()).isFalse();
    assertThat(task.checkpointCalls).isEmpty();
  }

  private CheckpointNotification notification(SubmitTaskRequest request, long checkpointId) {
    return CheckpointNotification.newBuilder()
        .setFencingToken(jobManager.fencingToken)
        .setJobId(job.value())
        .setExecutionId(request.getExecutionId())
        .setCheckpointId(checkpointId)
        .build();
  }

  private FreeSlotRequest free(AllocationId allocation) {
    return FreeSlotRequest.newBuilder()
        .setFencingToken(jobManager.fencingToken)
        .setJobId(job.value())
        .setAllocationId(allocation.value())
        .build();
  }

  private static byte[] jarWith(String entry, String content) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JarOutputStream jar = new JarOutputStream(bytes)) {
      jar.putNextEntry(new JarEntry(entry));
      jar.write(content.getBytes(StandardCharsets.UTF_8));
      jar.closeEntry();
      // padding so the jar travels in several chunks
      jar.putNextEntry(new JarEntry("baton-test/padding.bin"));
      jar.write(new byte[8 * 1024]);
      jar.closeEntry();
    }
    return bytes.toByteArray();
  }

  private static String read(URL url) throws IOException {
    assertThat(url).isNotNull();
    URLConnection connection = url.openConnection();
    // a cached JarFile would outlive the class loader
    connection.setUseCaches(false);
    try (InputStream in = connection.getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
