package io.baton.common.rpc;

import io.baton.common.cluster.FreeSlotCommand;
import io.baton.common.cluster.HeartbeatAnswer;
import io.baton.common.cluster.HeartbeatReport;
import io.baton.common.cluster.RegistrationResponse;
import io.baton.common.cluster.RpcAddress;
import io.baton.common.cluster.RunningExecution;
import io.baton.common.cluster.SlotReport;
import io.baton.common.cluster.TaskManagerRegistration;
import io.baton.common.ids.AllocationId;
import io.baton.common.ids.ExecutionId;
import io.baton.common.ids.JobId;
import io.baton.common.ids.TaskManagerId;
import java.time.Duration;
import java.util.Optional;

/**
 * Translates the TaskManager's membership messages (address, registration, heartbeat, slot freeing)
 * between Baton's types and the protocol's.
 */
public final class ClusterMessages {
  private ClusterMessages() {}

  public static Address toProto(RpcAddress address) {
    return Address.newBuilder().setHost(address.host()).setPort(address.port()).build();
  }

  public static RpcAddress fromProto(Address address) {
    return new RpcAddress(address.getHost(), address.getPort());
  }

  public static RegisterTaskManagerRequest toProto(TaskManagerRegistration registration) {
    return RegisterTaskManagerRequest.newBuilder()
        .setTaskManagerId(registration.taskManagerId().value())
        .setRpcAddress(toProto(registration.rpcAddress()))
        .setNumberOfSlots(registration.numberOfSlots())
        .setPhysicalMemoryBytes(registration.physicalMemoryBytes())
        .setCpuCores(registration.cpuCores())
        .addAllRunningExecutionIds(
            registration.runningExecutionIds().stream().map(ExecutionId::value).toList())
        .addAllRunningExecutions(
            registration.runningExecutions().stream().map(ClusterMessages::toProto).toList())
        .build();
  }

  public static TaskManagerRegistration fromProto(RegisterTaskManagerRequest request) {
    return new TaskManagerRegistration(
        TaskManagerId.parse(request.getTaskManagerId()),
        fromProto(request.getRpcAddress()),
        request.getNumberOfSlots(),
        request.getPhysicalMemoryBytes(),
        request.getCpuCores(),
        request.getRunningExecutionsList().stream().map(ClusterMessages::fromProto).toList());
  }

  public static ReportedExecution toProto(RunningExecution execution) {
    return ReportedExecution.newBuilder()
        .setJobId(execution.jobId().value())
        .setExecutionId(execution.executionId().value())
        .setAttempt(execution.attempt())
        .setAllocationId(execution.allocationId().value())
        .setSlotIndex(execution.slotIndex())
        .build();
  }

  public static RunningExecution fromProto(ReportedExecution execution) {
    return new RunningExecution(
        JobId.parse(execution.getJobId()),
        ExecutionId.parse(execution.getExecutionId()),
        execution.getAttempt(),
        AllocationId.parse(execution.getAllocationId()),
        execution.getSlotIndex());
  }

  public static RegisterTaskManagerResponse toProto(RegistrationResponse response) {
    return RegisterTaskManagerResponse.newBuilder()
        .setAccepted(response.accepted())
        .setError(response.error())
        .setFencingToken(response.fencingToken())
        .setRegistrationId(response.registrationId())
        .setHeartbeatIntervalMs(response.heartbeatInterval().toMillis())
        .setHeartbeatTimeoutMs(response.heartbeatTimeout().toMillis())
        .build();
  }

  public static RegistrationResponse fromProto(RegisterTaskManagerResponse response) {
    return new RegistrationResponse(
        response.getAccepted(),
        response.getError(),
        response.getFencingToken(),
        response.getRegistrationId(),
        Duration.ofMillis(response.getHeartbeatIntervalMs()),
        Duration.ofMillis(response.getHeartbeatTimeoutMs()));
  }

  public static SlotStatus toProto(SlotReport slot) {
    return SlotStatus.newBuilder()
        .setSlotIndex(slot.slotIndex())
        .setAllocationId(slot.allocationId().map(AllocationId::value).orElse(""))
        .setJobId(slot.jobId().map(JobId::value).orElse(""))
        .build();
  }

  public static SlotReport fromProto(SlotStatus slot) {
    return new SlotReport(
        slot.getSlotIndex(),
        slot.getAllocationId().isEmpty()
            ? Optional.empty()
            : Optional.of(AllocationId.parse(slot.getAllocationId())),
        slot.getJobId().isEmpty() ? Optional.empty() : Optional.of(JobId.parse(slot.getJobId())));
  }

  public static TaskManagerHeartbeat toProto(HeartbeatReport heartbeat) {
    TaskManagerHeartbeat.Builder builder =
        TaskManagerHeartbeat.newBuilder()
            .setTaskManagerId(heartbeat.taskManagerId().value())
            .setRegistrationId(heartbeat.registrationId())
            .setHeapUsedBytes(heartbeat.heapUsedBytes())
            .setHeapMaxBytes(heartbeat.heapMaxBytes());
    heartbeat.slots().forEach(slot -> builder.addSlots(toProto(slot)));
    heartbeat.taskMetrics().forEach(m -> builder.addTaskMetrics(ExecutionMessages.toProto(m)));
    return builder.build();
  }

  public static HeartbeatReport fromProto(TaskManagerHeartbeat heartbeat) {
    return new HeartbeatReport(
        TaskManagerId.parse(heartbeat.getTaskManagerId()),
        heartbeat.getRegistrationId(),
        heartbeat.getSlotsList().stream().map(ClusterMessages::fromProto).toList(),
        heartbeat.getTaskMetricsList().stream().map(ExecutionMessages::fromProto).toList(),
        heartbeat.getHeapUsedBytes(),
        heartbeat.getHeapMaxBytes());
  }

  public static HeartbeatResponse toProto(HeartbeatAnswer answer) {
    return HeartbeatResponse.newBuilder()
        .setKnown(answer.known())
        .setFencingToken(answer.fencingToken())
        .build();
  }

  public static HeartbeatAnswer fromProto(HeartbeatResponse response) {
    return new HeartbeatAnswer(response.getKnown(), response.getFencingToken());
  }

  public static FreeSlotRequest toProto(FreeSlotCommand command, String fencingToken) {
    return FreeSlotRequest.newBuilder()
        .setFencingToken(fencingToken)
        .setAllocationId(command.allocationId().value())
        .setJobId(command.jobId().value())
        .build();
  }

  public static FreeSlotCommand fromProto(FreeSlotRequest request) {
    return new FreeSlotCommand(
        AllocationId.parse(request.getAllocationId()), JobId.parse(request.getJobId()));
  }
}
