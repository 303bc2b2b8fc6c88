package io.baton.common.rpc;

import static io.baton.common.rpc.DeploymentMessagesTest.ALLOCATION;
import static io.baton.common.rpc.ExecutionMessagesTest.EXECUTION;
import static io.baton.common.rpc.ExecutionMessagesTest.JOB;
import static io.baton.common.rpc.ExecutionMessagesTest.TASK_MANAGER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.common.cluster.HeartbeatReport;
import io.baton.common.cluster.RunningExecution;
import io.baton.common.cluster.TaskManagerRegistration;
import io.baton.common.ids.AllocationId;
import io.baton.common.ids.ExecutionId;
import io.baton.common.ids.JobId;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClusterMessagesTest {

  @Test
  void aRegistrationCarriesItsRunningExecutions() {
    RegisterTaskManagerRequest wire =
        RegisterTaskManagerRequest.newBuilder()
            .setTaskManagerId(TASK_MANAGER)
            .setRpcAddress(Address.newBuilder().setHost("tm-1").setPort(6122))
            .setNumberOfSlots(4)
            .setPhysicalMemoryBytes(8L << 30)
            .setCpuCores(2)
            .addRunningExecutionIds(EXECUTION)
            .addRunningExecutions(
                ReportedExecution.newBuilder()
                    .setJobId(JOB)
                    .setExecutionId(EXECUTION)
                    .setAttempt(2)
                    .setAllocationId(ALLOCATION)
                    .setSlotIndex(3))
            .build();

    TaskManagerRegistration registration = ClusterMessages.fromProto(wire);

    assertThat(registration.runningExecutions())
        .containsExactly(
            new RunningExecution(
                new JobId(JOB), new ExecutionId(EXECUTION), 2, new AllocationId(ALLOCATION), 3));
    assertThat(registration.runningExecutionIds()).containsExactly(new ExecutionId(EXECUTION));
    assertThat(ClusterMessages.toProto(registration)).isEqualTo(wire);
    RegisterTaskManagerRequest idle =
        wire.toBuilder().clearRunningExecutionIds().clearRunningExecutions().build();
    assertThat(ClusterMessages.toProto(ClusterMessages.fromProto(idle))).isEqualTo(idle);
  }

  @Test
  void aReportedExecutionWithANegativeAttemptIsRefusedNamingIt() {
    RegisterTaskManagerRequest wire =
        RegisterTaskManagerRequest.newBuilder()
            .setTaskManagerId(TASK_MANAGER)
            .setRpcAddress(Address.newBuilder().setHost("tm-1").setPort(6122))
            .addRunningExecutions(
                ReportedExecution.newBuilder()
                    .setJobId(JOB)
                    .setExecutionId(EXECUTION)
                    .setAttempt(-1)
                    .setAllocationId(ALLOCATION))
            .build();

    assertThatThrownBy(() -> ClusterMessages.fromProto(wire))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "running execution "
                + EXECUTION
                + " names attempt -1 in slot 0: neither may be negative");
  }

  @Test
  void aRegistrationWithAMalformedIdIsRefusedNamingIt() {
    RegisterTaskManagerRequest wire =
        RegisterTaskManagerRequest.newBuilder().setTaskManagerId("tm-1").build();

    assertThatThrownBy(() -> ClusterMessages.fromProto(wire))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid TaskManager id 'tm-1': expected 32 hex digits");
  }

  @Test
  void aRegistrationResponseKeepsEveryField() {
    RegisterTaskManagerResponse accepted =
        RegisterTaskManagerResponse.newBuilder()
            .setAccepted(true)
            .setFencingToken("session-1")
            .setRegistrationId("reg-1")
            .setHeartbeatIntervalMs(10_000)
            .setHeartbeatTimeoutMs(50_000)
            .build();
    RegisterTaskManagerResponse refused =
        RegisterTaskManagerResponse.newBuilder().setError("not the leader").build();

    assertThat(ClusterMessages.fromProto(accepted).heartbeatTimeout())
        .isEqualTo(Duration.ofSeconds(50));
    assertThat(ClusterMessages.toProto(ClusterMessages.fromProto(accepted))).isEqualTo(accepted);
    assertThat(ClusterMessages.toProto(ClusterMessages.fromProto(refused))).isEqualTo(refused);
  }

  @Test
  void aHeartbeatKeepsSlotsMetricsAndHeap() {
    TaskManagerHeartbeat wire =
        TaskManagerHeartbeat.newBuilder()
            .setTaskManagerId(TASK_MANAGER)
            .setRegistrationId("reg-1")
            .addSlots(SlotStatus.newBuilder().setSlotIndex(0))
            .addSlots(
                SlotStatus.newBuilder().setSlotIndex(1).setAllocationId(ALLOCATION).setJobId(JOB))
            .addTaskMetrics(ExecutionMessagesTest.metrics())
            .setHeapUsedBytes(100)
            .setHeapMaxBytes(1000)
            .build();

    HeartbeatReport report = ClusterMessages.fromProto(wire);

    assertThat(report.slots().get(0).isFree()).isTrue();
    assertThat(report.slots().get(1).isFree()).isFalse();
    assertThat(ClusterMessages.toProto(report)).isEqualTo(wire);
    TaskManagerHeartbeat bare =
        TaskManagerHeartbeat.newBuilder().setTaskManagerId(TASK_MANAGER).build();
    assertThat(ClusterMessages.toProto(ClusterMessages.fromProto(bare))).isEqualTo(bare);
  }

  @Test
  void heartbeatAnswersAndSlotFreeingKeepTheirFields() {
    HeartbeatResponse known =
        HeartbeatResponse.newBuilder().setKnown(true).setFencingToken("session-1").build();
    FreeSlotRequest free =
        FreeSlotRequest.newBuilder()
            .setFencingToken("session-1")
            .setAllocationId(ALLOCATION)
            .setJobId(JOB)
            .build();

    assertThat(ClusterMessages.toProto(ClusterMessages.fromProto(known))).isEqualTo(known);
    assertThat(
            ClusterMessages.toProto(
                ClusterMessages.fromProto(HeartbeatResponse.getDefaultInstance())))
        .isEqualTo(HeartbeatResponse.getDefaultInstance());
    assertThat(ClusterMessages.toProto(ClusterMessages.fromProto(free), "session-1"))
        .isEqualTo(free);
  }
}
