package io.baton.taskmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.baton.common.config.Configuration;
import io.baton.common.config.HeartbeatOptions;
import io.baton.common.config.TaskManagerOptions;
import io.baton.common.rpc.RegisterTaskManagerRequest;
import io.baton.common.rpc.SlotStatus;
import io.baton.common.rpc.TaskManagerHeartbeat;
import io.baton.taskmanager.network.GrpcNetworkEnvironment;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskManagerRegistrationTest {
  @TempDir Path tmp;

  private FakeJobManager jobManager;
  private TaskManager taskManager;

  @AfterEach
  void tearDown() {
    if (taskManager != null) {
      taskManager.close();
    }
    if (jobManager != null) {
      jobManager.close();
    }
  }

  private TaskManager start(Configuration config) {
    return TaskManager.start(config, GrpcNetworkEnvironment::new, new FakeTasks());
  }

  @Test
  void keepsTryingUntilTheJobManagerIsUpThenRegistersWithItsSlotsAndAddress() throws Exception {
    jobManager = FakeJobManager.onFreePort();
    // Something that accepts and drops the connection stands where the JobManager will be:
    // it proves that the TaskManager tried before the JobManager was there.
    try (ServerSocket notAJobManager =
        new ServerSocket(jobManager.port, 10, InetAddress.getLoopbackAddress())) {
      notAJobManager.setSoTimeout(10_000);
      taskManager = start(TestConfigs.taskManager(jobManager.port, tmp));
      try (Socket attempt = notAJobManager.accept()) {
        assertThat(attempt.isConnected()).isTrue();
      }
    }
    assertThat(jobManager.registrations).isEmpty();

    jobManager.start();

    await().atMost(Duration.ofSeconds(10)).until(() -> !jobManager.registrations.isEmpty());
    RegisterTaskManagerRequest registration = jobManager.registrations.get(0);
    assertThat(registration.getTaskManagerId()).isEqualTo(taskManager.id().value());
    assertThat(registration.getRpcAddress().getHost()).isEqualTo("127.0.0.1");
    assertThat(registration.getRpcAddress().getPort()).isEqualTo(taskManager.rpcPort());
    assertThat(registration.getNumberOfSlots()).isEqualTo(2);
    assertThat(registration.getCpuCores()).isPositive();
    assertThat(registration.getPhysicalMemoryBytes()).isPositive();
    assertThat(registration.getRunningExecutionIdsList()).isEmpty();
  }

  @Test
  void heartbeatsAtTheIntervalTheJobManagerAsksForWithSlotsAndHeap() {
    jobManager = FakeJobManager.onFreePort().start();
    jobManager.heartbeatIntervalMs = 100;
    Configuration config =
        TestConfigs.taskManager(jobManager.port, tmp)
            .set(HeartbeatOptions.INTERVAL, Duration.ofMinutes(1))
            .set(HeartbeatOptions.TIMEOUT, Duration.ofMinutes(5));
    taskManager = start(config);

    await().atMost(Duration.ofSeconds(10)).until(() -> jobManager.heartbeats.size() >= 6);

    List<FakeJobManager.ReceivedHeartbeat> received = jobManager.heartbeats;
    long spanMillis =
        TimeUnit.NANOSECONDS.toMillis(
            received.get(5).receivedNanos() - received.get(0).receivedNanos());
    // five intervals of 100 ms; far less than the configured minute
    assertThat(spanMillis).isBetween(400L, 5000L);
    TaskManagerHeartbeat heartbeat = received.get(5).heartbeat();
    assertThat(heartbeat.getTaskManagerId()).isEqualTo(taskManager.id().value());
    assertThat(heartbeat.getRegistrationId()).isEqualTo(jobManager.registrationId());
    assertThat(heartbeat.getSlotsList())
        .extracting(SlotStatus::getSlotIndex, SlotStatus::getAllocationId)
        .containsExactly(tuple(0, ""), tuple(1, ""));
    assertThat(heartbeat.getHeapMaxBytes()).isPositive();
    assertThat(heartbeat.getHeapUsedBytes()).isPositive();
  }

  @Test
  void registersAgainWhenTheJobManagerNoLongerKnowsIt() {
    jobManager = FakeJobManager.onFreePort().start();
    taskManager = start(TestConfigs.taskManager(jobManager.port, tmp));
    await().atMost(Duration.ofSeconds(10)).until(() -> jobManager.heartbeats.size() >= 1);
    String firstRegistration = jobManager.registrationId();

    jobManager.forgetTaskManagers();

    await().atMost(Duration.ofSeconds(10)).until(() -> jobManager.registrations.size() == 2);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                jobManager
                    .heartbeats
                    .get(jobManager.heartbeats.size() - 1)
                    .heartbeat()
                    .getRegistrationId()
                    .equals(jobManager.registrationId()));
    assertThat(jobManager.registrationId()).isNotEqualTo(firstRegistration);
  }

  @Test
  void registersAgainWhenALostJobManagerComesBack() {
    jobManager = FakeJobManager.onFreePort().start();
    taskManager = start(TestConfigs.taskManager(jobManager.port, tmp));
    await().atMost(Duration.ofSeconds(10)).until(() -> jobManager.heartbeats.size() >= 2);

    jobManager.stop();
    int heartbeatsBefore = jobManager.heartbeats.size();
    jobManager.start();

    // the restarted JobManager forgot everything: heartbeats are unknown, the TaskManager
    // registers again; or it notices the silence first and does the same
    await().atMost(Duration.ofSeconds(10)).until(() -> jobManager.registrations.size() == 2);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> jobManager.heartbeats.size() > heartbeatsBefore + 2);
    assertThat(jobManager.registrations.get(1).getTaskManagerId())
        .isEqualTo(taskManager.id().value());
  }

  @Test
  void considersAJobManagerThatStopsAnsweringHeartbeatsLostAndRegistersAgain() {
    jobManager = FakeJobManager.onFreePort().start();
    Configuration config =
        TestConfigs.taskManager(jobManager.port, tmp)
            .set(HeartbeatOptions.TIMEOUT, Duration.ofMillis(500));
    taskManager = start(config);
    await().atMost(Duration.ofSeconds(10)).until(() -> jobManager.heartbeats.size() >= 2);
    String firstRegistration = jobManager.registrationId();

    // heartbeats arrive but are never answered; registrations still are
    jobManager.stallHeartbeats = true;

    await().atMost(Duration.ofSeconds(10)).until(() -> jobManager.registrations.size() == 2);
    assertThat(jobManager.registrationId()).isNotEqualTo(firstRegistration);
  }

  @Test
  void givesUpAfterTheRegistrationTimeout() {
    int nobody = FakeJobManager.freePort();
    Configuration config =
        TestConfigs.taskManager(nobody, tmp)
            .set(TaskManagerOptions.REGISTRATION_TIMEOUT, Duration.ofMillis(700));
    taskManager = start(config);

    await().atMost(Duration.ofSeconds(10)).until(() -> taskManager.terminationFuture().isDone());
    assertThat(taskManager.terminationFuture())
        .failsWithin(Duration.ZERO)
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOf(TaskManagerStartupException.class)
        .withMessageMatching(
            Pattern.quote(
                    "could not register at the JobManager at 127.0.0.1:"
                        + nobody
                        + " within taskmanager.registration.timeout (700 ms): ")
                + "(UNAVAILABLE|DEADLINE_EXCEEDED) .*");
  }
}
