package io.baton.common.rpc;

import com.google.protobuf.ByteString;
import io.baton.common.deployment.AdoptTasksCommand;
import io.baton.common.deployment.CancelTaskCommand;
import io.baton.common.deployment.InputChannelDeployment;
import io.baton.common.deployment.InputGateDeployment;
import io.baton.common.deployment.ResultPartitionDeployment;
import io.baton.common.deployment.TaskDeployment;
import io.baton.common.deployment.TaskRestore;
import io.baton.common.ids.AllocationId;
import io.baton.common.ids.ExecutionId;
import io.baton.common.ids.JobId;
import io.baton.common.ids.TaskManagerId;
import java.util.Optional;

/**
 * Translates task deployments (with their input gates, result partitions and restore state) and
 * cancel commands between Baton's types and the protocol's. The fencing token is passed in when
 * writing; the TaskManager's service checks it before reading.
 */
public final class DeploymentMessages {
  private DeploymentMessages() {}

  public static SubmitTaskRequest toProto(TaskDeployment deployment, String fencingToken) {
    SubmitTaskRequest.Builder builder =
        SubmitTaskRequest.newBuilder()
            .setFencingToken(fencingToken)
            .setJobId(deployment.jobId().value())
            .setJobName(deployment.jobName())
            .setExecutionId(deployment.executionId().value())
            .setAllocationId(deployment.allocationId().value())
            .setSlotIndex(deployment.slotIndex())
            .setVertexId(deployment.vertexId())
            .setVertexName(deployment.vertexName())
            .setSubtaskIndex(deployment.subtaskIndex())
            .setParallelism(deployment.parallelism())
            .setMaxParallelism(deployment.maxParallelism())
            .setAttemptNumber(deployment.attemptNumber())
            .setSerializedVertex(ByteString.copyFrom(deployment.serializedVertex()))
            .setBlobKey(deployment.blobKey().orElse(""))
            .putAllJobConfig(deployment.jobConfig());
    deployment.inputs().forEach(gate -> builder.addInputs(toProto(gate)));
    deployment.outputs().forEach(partition -> builder.addOutputs(toProto(partition)));
    deployment
        .restore()
        .ifPresent(
            restore ->
                builder
                    .setRestoreCheckpointId(restore.checkpointId())
                    .addAllRestoreState(CheckpointMessages.toProtoHandles(restore.state()))
                    .setRestoreDirectory(restore.directory()));
    return builder.build();
  }

  /**
   * Reads a deployment; the fencing token is not part of it.
   *
   * @throws IllegalArgumentException one line naming a malformed id or index
   */
  public static TaskDeployment fromProto(SubmitTaskRequest request) {
    boolean restores =
        request.getRestoreCheckpointId() != 0
            || request.getRestoreStateCount() > 0
            || !request.getRestoreDirectory().isEmpty();
    return new TaskDeployment(
        JobId.parse(request.getJobId()),
        request.getJobName(),
        ExecutionId.parse(request.getExecutionId()),
        AllocationId.parse(request.getAllocationId()),
        request.getSlotIndex(),
        request.getVertexId(),
        request.getVertexName(),
        request.getSubtaskIndex(),
        request.getParallelism(),
        request.getMaxParallelism(),
        request.getAttemptNumber(),
        request.getSerializedVertex().toByteArray(),
        request.getBlobKey().isEmpty() ? Optional.empty() : Optional.of(request.getBlobKey()),
        request.getInputsList().stream().map(DeploymentMessages::fromProto).toList(),
        request.getOutputsList().stream().map(DeploymentMessages::fromProto).toList(),
        restores
            ? Optional.of(
                new TaskRestore(
                    request.getRestoreCheckpointId(),
                    CheckpointMessages.fromProtoHandles(request.getRestoreStateList()),
                    request.getRestoreDirectory()))
            : Optional.empty(),
        request.getJobConfigMap());
  }

  public static InputGateDescriptor toProto(InputGateDeployment gate) {
    InputGateDescriptor.Builder builder =
        InputGateDescriptor.newBuilder()
            .setEdgeIndex(gate.edgeIndex())
            .setSourceVertexId(gate.sourceVertexId());
    gate.channels().forEach(channel -> builder.addChannels(toProto(channel)));
    return builder.build();
  }

  public static InputGateDeployment fromProto(InputGateDescriptor gate) {
    return new InputGateDeployment(
        gate.getEdgeIndex(),
        gate.getSourceVertexId(),
        gate.getChannelsList().stream().map(DeploymentMessages::fromProto).toList());
  }

  public static InputChannelDescriptor toProto(InputChannelDeployment channel) {
    return InputChannelDescriptor.newBuilder()
        .setPartitionId(channel.partitionId())
        .setSubpartitionIndex(channel.subpartitionIndex())
        .setProducerAddress(ClusterMessages.toProto(channel.producerAddress()))
        .setProducerTaskManagerId(channel.producerTaskManagerId().value())
        .setProducerSubtaskIndex(channel.producerSubtaskIndex())
        .build();
  }

  public static InputChannelDeployment fromProto(InputChannelDescriptor channel) {
    return new InputChannelDeployment(
        channel.getPartitionId(),
        channel.getSubpartitionIndex(),
        ClusterMessages.fromProto(channel.getProducerAddress()),
        TaskManagerId.parse(channel.getProducerTaskManagerId()),
        channel.getProducerSubtaskIndex());
  }

  public static ResultPartitionDescriptor toProto(ResultPartitionDeployment partition) {
    return ResultPartitionDescriptor.newBuilder()
        .setPartitionId(partition.partitionId())
        .setEdgeIndex(partition.edgeIndex())
        .setTargetVertexId(partition.targetVertexId())
        .setPartitioning(partition.partitioning())
        .setNumberOfSubpartitions(partition.numberOfSubpartitions())
        .setTargetMaxParallelism(partition.targetMaxParallelism())
        .build();
  }

  public static ResultPartitionDeployment fromProto(ResultPartitionDescriptor partition) {
    return new ResultPartitionDeployment(
        partition.getPartitionId(),
        partition.getEdgeIndex(),
        partition.getTargetVertexId(),
        partition.getPartitioning(),
        partition.getNumberOfSubpartitions(),
        partition.getTargetMaxParallelism());
  }

  public static CancelTaskRequest toProto(CancelTaskCommand command, String fencingToken) {
    return CancelTaskRequest.newBuilder()
        .setFencingToken(fencingToken)
        .setJobId(command.jobId().value())
        .setExecutionId(command.executionId().value())
        .build();
  }

  public static CancelTaskCommand fromProto(CancelTaskRequest request) {
    return new CancelTaskCommand(
        JobId.parse(request.getJobId()), ExecutionId.parse(request.getExecutionId()));
  }

  public static AdoptTasksRequest toProto(AdoptTasksCommand command, String fencingToken) {
    return AdoptTasksRequest.newBuilder()
        .setFencingToken(fencingToken)
        .setJobId(command.jobId().value())
        .addAllExecutionIds(command.executionIds().stream().map(ExecutionId::value).toList())
        .build();
  }

  public static AdoptTasksCommand fromProto(AdoptTasksRequest request) {
    return new AdoptTasksCommand(
        JobId.parse(request.getJobId()),
        request.getExecutionIdsList().stream().map(ExecutionId::parse).toList());
  }
}
