package io.baton.taskmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.baton.common.config.Configuration;
import io.baton.common.config.HighAvailabilityOptions;
import io.baton.common.config.JobManagerOptions;
import io.baton.common.ids.AllocationId;
import io.baton.common.ids.ExecutionId;
import io.baton.common.ids.JobId;
import io.baton.common.rpc.Ack;
import io.baton.common.rpc.AdoptTasksRequest;
import io.baton.common.rpc.CancelTaskRequest;
import io.baton.common.rpc.RegisterTaskManagerRequest;
import io.baton.common.rpc.ReportedExecution;
import io.baton.common.rpc.SlotStatus;
import io.baton.common.rpc.SubmitTaskRequest;
import io.baton.common.rpc.TaskManagerHeartbeat;
import io.baton.common.rpc.TaskManagerServiceGrpc;
import io.baton.common.rpc.TaskState;
import io.baton.common.security.TokenDigest;
import io.baton.taskmanager.network.GrpcNetworkEnvironment;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TaskManager in HA mode against fake JobManagers that win and lose a real ZooKeeper election: it
 * follows the published leader, fences off the previous one and offers its slots again.
 */
class TaskManagerLeaderFailoverTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static TestingServer zooKeeper;

  @TempDir Path tmp;

  private final FakeTasks tasks = new FakeTasks();
  private final JobId job = JobId.random();
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private Configuration config;
  private TaskManager taskManager;
  private TaskManagerServiceGrpc.TaskManagerServiceBlockingStub taskManagerService;

  @BeforeAll
  static void startZooKeeper() throws Exception {
    zooKeeper = new TestingServer(true);
  }

  @AfterAll
  static void stopZooKeeper() throws Exception {
    zooKeeper.close();
  }

  @BeforeEach
  void haConfig() {
    config =
        TestConfigs.haTaskManager(
            zooKeeper.getConnectString(), "cluster-" + UUID.randomUUID(), tmp);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (taskManager != null) {
      taskManager.close();
    }
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private ElectedFakeJobManager contend() throws Exception {
    return closeLater(ElectedFakeJobManager.contend(config));
  }

  private <T extends AutoCloseable> T closeLater(T resource) {
    toClose.add(resource);
    return resource;
  }

  private void startTaskManager() {
    taskManager = TaskManager.start(config, GrpcNetworkEnvironment::new, tasks);
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", taskManager.rpcPort()).usePlaintext().build();
    toClose.add(channel::shutdownNow);
    taskManagerService = TaskManagerServiceGrpc.newBlockingStub(channel);
  }

  private TaskManagerServiceGrpc.TaskManagerServiceBlockingStub service() {
    return taskManagerService.withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private static boolean registeredAndHeartbeating(FakeJobManager jobManager) {
    return !jobManager.heartbeats.isEmpty()
        && latestHeartbeat(jobManager).getRegistrationId().equals(jobManager.registrationId());
  }

  private static TaskManagerHeartbeat latestHeartbeat(FakeJobManager jobManager) {
    return jobManager.heartbeats.get(jobManager.heartbeats.size() - 1).heartbeat();
  }

  private SubmitTaskRequest task(String fencingToken, int slot) {
    return SubmitTaskRequest.newBuilder()
        .setFencingToken(fencingToken)
        .setJobId(job.value())
        .setJobName("word count")
        .setExecutionId(ExecutionId.random().value())
        .setAllocationId(AllocationId.random().value())
        .setSlotIndex(slot)
        .setVertexId(1)
        .setVertexName("Tokenizer")
        .setSubtaskIndex(slot)
        .setParallelism(2)
        .setMaxParallelism(128)
        .build();
  }

  private FakeTasks.FakeTask submitRunning(FakeJobManager jobManager, SubmitTaskRequest request) {
    Ack ack = service().submitTask(request);
    assertThat(ack.getError()).isEmpty();
    await()
        .atMost(WAIT)
        .until(() -> jobManager.statesOf(request.getExecutionId()).contains(TaskState.RUNNING));
    return tasks.get(request.getExecutionId());
  }

  private static boolean allSlotsFree(TaskManagerHeartbeat heartbeat) {
    return heartbeat.getSlotsList().stream()
        .map(SlotStatus::getAllocationId)
        .allMatch(String::isEmpty);
  }

  @Test
  void followsLeadershipToTheNextJobManagerCancellingThePreviousLeadersTasks() throws Exception {
    // without reconciliation, as Flink: the previous leader's tasks go once another leads
    config.set(JobManagerOptions.FAILOVER_RECONCILE, false);
    ElectedFakeJobManager first = contend();
    await().atMost(WAIT).until(() -> first.session != null);
    startTaskManager();
    await().atMost(WAIT).until(() -> registeredAndHeartbeating(first.rpc));
    String firstToken = first.session.toString();
    SubmitTaskRequest firstLeadersTask = task(firstToken, 0);
    FakeTasks.FakeTask running = submitRunning(first.rpc, firstLeadersTask);
    ElectedFakeJobManager second = contend();

    // the first leader leaves the election but its process keeps answering, as a deposed
    // JobManager that has not noticed yet would
    first.resign();

    await().atMost(WAIT).until(() -> second.session != null);
    String secondToken = second.session.toString();
    await().atMost(WAIT).until(() -> running.terminationFuture().isDone());
    assertThat(running.cancelRequested).isTrue();
    await().atMost(WAIT).until(() -> registeredAndHeartbeating(second.rpc));
    RegisterTaskManagerRequest registration = second.rpc.registrations.get(0);
    assertThat(registration.getTaskManagerId()).isEqualTo(taskManager.id().value());
    assertThat(registration.getNumberOfSlots()).isEqualTo(2);
    // the previous leader's task is being cancelled: not one the new leader could take over
    assertThat(registration.getRunningExecutionIdsList()).isEmpty();
    await().atMost(WAIT).until(() -> allSlotsFree(latestHeartbeat(second.rpc)));
    assertThat(latestHeartbeat(second.rpc).getSlotsCount()).isEqualTo(2);

    Ack fromDeposedLeader = cancel(firstToken, firstLeadersTask);
    assertThat(fromDeposedLeader.getOk()).isFalse();
    assertThat(fromDeposedLeader.getError())
        .isEqualTo(
            "rejected: fencing token (digest "
                + TokenDigest.of(firstToken)
                + ") does not match the current JobManager's (digest "
                + TokenDigest.of(String.valueOf(secondToken))
                + ")");
    Ack submitFromDeposedLeader = service().submitTask(task(firstToken, 1));
    assertThat(submitFromDeposedLeader.getOk()).isFalse();

    // the new leader uses the slot the old one's task held
    FakeTasks.FakeTask next = submitRunning(second.rpc, task(secondToken, 0));
    assertThat(next.cancelRequested).isFalse();
    assertThat(first.rpc.registrations).hasSize(1);
  }

  @Test
  void withReconcileKeepsItsTasksForTheNewLeaderAndCancelsOnlyThoseItDidNotAdopt()
      throws Exception {
    config.set(JobManagerOptions.FAILOVER_RECONCILE, true);
    config.set(JobManagerOptions.RECONCILIATION_TIMEOUT, Duration.ofSeconds(1));
    ElectedFakeJobManager first = contend();
    await().atMost(WAIT).until(() -> first.session != null);
    startTaskManager();
    await().atMost(WAIT).until(() -> registeredAndHeartbeating(first.rpc));
    String firstToken = first.session.toString();
    SubmitTaskRequest adopted = task(firstToken, 0).toBuilder().setAttemptNumber(2).build();
    SubmitTaskRequest orphan = task(firstToken, 1);
    FakeTasks.FakeTask kept = submitRunning(first.rpc, adopted);
    FakeTasks.FakeTask cancelled = submitRunning(first.rpc, orphan);
    ElectedFakeJobManager second = contend();

    first.resign();

    await().atMost(WAIT).until(() -> second.session != null);
    String secondToken = second.session.toString();
    await().atMost(WAIT).until(() -> registeredAndHeartbeating(second.rpc));
    RegisterTaskManagerRequest registration = second.rpc.registrations.get(0);
    assertThat(registration.getRunningExecutionsList())
        .containsExactlyInAnyOrder(reported(adopted), reported(orphan));
    assertThat(kept.cancelRequested).isFalse();
    assertThat(cancelled.cancelRequested).isFalse();
    // the old leader is fenced off although its tasks run on
    Ack fromDeposedLeader = cancel(firstToken, adopted);
    assertThat(fromDeposedLeader.getError()).startsWith("rejected: fencing token");

    Ack adoption = service().adoptTasks(adopt(secondToken, adopted.getExecutionId()));
    Ack adoptionOfAStranger = service().adoptTasks(adopt(secondToken, "f".repeat(32)));
    Ack adoptionByTheOldLeader = service().adoptTasks(adopt(firstToken, orphan.getExecutionId()));

    assertThat(adoption.getError()).isEmpty();
    assertThat(adoption.getOk()).isTrue();
    assertThat(adoptionOfAStranger.getError())
        .isEqualTo(
            "job "
                + job
                + " has no running task here for execution(s) ["
                + "f".repeat(32)
                + "] (ended, or never here)");
    assertThat(adoptionByTheOldLeader.getError()).startsWith("rejected: fencing token");
    await().atMost(WAIT).until(() -> cancelled.cancelRequested);
    assertThat(kept.cancelRequested).isFalse();
    await()
        .atMost(WAIT)
        .until(
            () ->
                latestHeartbeat(second.rpc).getSlotsList().stream()
                    .map(SlotStatus::getAllocationId)
                    .toList()
                    .equals(List.of(adopted.getAllocationId(), "")));
  }

  private ReportedExecution reported(SubmitTaskRequest task) {
    return ReportedExecution.newBuilder()
        .setJobId(job.value())
        .setExecutionId(task.getExecutionId())
        .setAttempt(task.getAttemptNumber())
        .setAllocationId(task.getAllocationId())
        .setSlotIndex(task.getSlotIndex())
        .build();
  }

  private Ack cancel(String token, SubmitTaskRequest task) {
    return service()
        .cancelTask(
            CancelTaskRequest.newBuilder()
                .setFencingToken(token)
                .setJobId(job.value())
                .setExecutionId(task.getExecutionId())
                .build());
  }

  private AdoptTasksRequest adopt(String token, String executionId) {
    return AdoptTasksRequest.newBuilder()
        .setFencingToken(token)
        .setJobId(job.value())
        .addExecutionIds(executionId)
        .build();
  }

  @Test
  void doesNotTakeARegistrationAnsweredWithAnotherTokenThanThePublishedOne() throws Exception {
    ElectedFakeJobManager leader =
        closeLater(ElectedFakeJobManager.contendAnsweringWithAStaleToken(config));
    await().atMost(WAIT).until(() -> leader.session != null);
    String staleToken = leader.rpc.fencingToken;

    startTaskManager();

    // it is asked again and again (with backoff) but never heartbeated: no registration taken
    await().atMost(WAIT).until(() -> leader.rpc.registrations.size() >= 3);
    assertThat(leader.rpc.heartbeats).isEmpty();
    Ack withStaleToken = service().submitTask(task(staleToken, 0));
    assertThat(withStaleToken.getError())
        .isEqualTo(
            "rejected: fencing token (digest "
                + TokenDigest.of(staleToken)
                + ") does not match the current JobManager's (digest "
                + TokenDigest.of(String.valueOf(leader.session))
                + ")");

    leader.answerAsLeader();

    await().atMost(WAIT).until(() -> registeredAndHeartbeating(leader.rpc));
    submitRunning(leader.rpc, task(leader.session.toString(), 0));
  }

  @Test
  void keepsItsTasksWhileNoLeaderIsPublishedAndCancelsThemOnceAnotherLeads() throws Exception {
    // without reconciliation, as Flink: the previous leader's tasks go once another leads
    config.set(JobManagerOptions.FAILOVER_RECONCILE, false);
    ElectedFakeJobManager first = contend();
    await().atMost(WAIT).until(() -> first.session != null);
    startTaskManager();
    await().atMost(WAIT).until(() -> registeredAndHeartbeating(first.rpc));
    FakeTasks.FakeTask running = submitRunning(first.rpc, task(first.session.toString(), 0));
    String leaderInfo = "/baton/" + config.get(HighAvailabilityOptions.CLUSTER_ID) + "/leader/info";

    first.resign();

    try (CuratorFramework observer =
        CuratorFrameworkFactory.newClient(zooKeeper.getConnectString(), new RetryOneTime(100))) {
      observer.start();
      await().atMost(WAIT).until(() -> observer.checkExists().forPath(leaderInfo) == null);
    }
    int heartbeatsBefore = first.rpc.heartbeats.size();
    // nobody leads: leadership is not known to have moved, so the task keeps running and the
    // TaskManager stays with the JobManager it knows
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(() -> !running.cancelRequested);
    assertThat(first.rpc.heartbeats.size()).isGreaterThan(heartbeatsBefore);

    ElectedFakeJobManager second = contend();

    await().atMost(WAIT).until(() -> running.cancelRequested);
    await().atMost(WAIT).until(() -> registeredAndHeartbeating(second.rpc));
  }

  @Test
  void stopsFollowingTheLeaderAndClosesItsZooKeeperClientWhenItStops() throws Exception {
    ElectedFakeJobManager leader = contend();
    await().atMost(WAIT).until(() -> leader.session != null);
    long clientsBefore = zooKeeperClientThreads();
    startTaskManager();
    await().atMost(WAIT).until(() -> registeredAndHeartbeating(leader.rpc));
    assertThat(zooKeeperClientThreads()).isEqualTo(clientsBefore + 1);
    String retrievalThread =
        "leader-retrieval /baton/" + config.get(HighAvailabilityOptions.CLUSTER_ID) + "/";
    assertThat(threadsNamed(retrievalThread)).isPositive();

    taskManager.close();

    await().atMost(WAIT).until(() -> zooKeeperClientThreads() == clientsBefore);
    await().atMost(WAIT).until(() -> threadsNamed(retrievalThread) == 0);
    assertThat(taskManager.terminationFuture()).isCompleted();
  }

  /** One per open ZooKeeper client of this JVM: its connection's send thread. */
  private static long zooKeeperClientThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().contains("-SendThread("))
        .count();
  }

  private static long threadsNamed(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith(prefix))
        .count();
  }
}
