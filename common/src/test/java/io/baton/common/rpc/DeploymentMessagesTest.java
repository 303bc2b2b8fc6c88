package io.baton.common.rpc;

import static io.baton.common.rpc.ExecutionMessagesTest.EXECUTION;
import static io.baton.common.rpc.ExecutionMessagesTest.JOB;
import static io.baton.common.rpc.ExecutionMessagesTest.TASK_MANAGER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.baton.common.deployment.TaskDeployment;
import org.junit.jupiter.api.Test;

class DeploymentMessagesTest {
  static final String ALLOCATION = "aaaabbbbccccddddeeeeffff00001111";

  static SubmitTaskRequest fresh() {
    return SubmitTaskRequest.newBuilder()
        .setFencingToken("session-1")
        .setJobId(JOB)
        .setJobName("ledger")
        .setExecutionId(EXECUTION)
        .setAllocationId(ALLOCATION)
        .setSlotIndex(1)
        .setVertexId(2)
        .setVertexName("Map")
        .setSubtaskIndex(3)
        .setParallelism(4)
        .setMaxParallelism(128)
        .setAttemptNumber(5)
        .setSerializedVertex(ByteString.copyFrom(new byte[] {1, 2, 3}))
        .setBlobKey("jar-1")
        .addInputs(
            InputGateDescriptor.newBuilder()
                .setEdgeIndex(0)
                .setSourceVertexId(1)
                .addChannels(
                    InputChannelDescriptor.newBuilder()
                        .setPartitionId(EXECUTION + "-0")
                        .setSubpartitionIndex(3)
                        .setProducerAddress(Address.newBuilder().setHost("tm-1").setPort(6122))
                        .setProducerTaskManagerId(TASK_MANAGER)
                        .setProducerSubtaskIndex(0))
                .addChannels(
                    InputChannelDescriptor.newBuilder()
                        .setPartitionId(EXECUTION + "-1")
                        .setProducerAddress(Address.newBuilder().setHost("tm-2").setPort(6123))
                        .setProducerTaskManagerId(TASK_MANAGER)))
        .addInputs(InputGateDescriptor.newBuilder().setEdgeIndex(1).setSourceVertexId(7))
        .addOutputs(
            ResultPartitionDescriptor.newBuilder()
                .setPartitionId(EXECUTION + "-2")
                .setEdgeIndex(2)
                .setTargetVertexId(3)
                .setPartitioning("HASH")
                .setNumberOfSubpartitions(4)
                .setTargetMaxParallelism(128))
        .putJobConfig("state.checkpoints.dir", "file:///tmp/chk")
        .putJobConfig("execution.checkpointing.interval", "1 s")
        .build();
  }

  @Test
  void aFreshDeploymentKeepsEveryField() {
    SubmitTaskRequest wire = fresh();

    TaskDeployment deployment = DeploymentMessages.fromProto(wire);

    assertThat(deployment.restore()).isEmpty();
    assertThat(deployment.blobKey()).hasValue("jar-1");
    assertThat(deployment.serializedVertex()).containsExactly(1, 2, 3);
    assertThat(DeploymentMessages.toProto(deployment, "session-1")).isEqualTo(wire);
  }

  @Test
  void aRestoringDeploymentKeepsItsStateAndDirectory() {
    SubmitTaskRequest wire =
        fresh().toBuilder()
            .setRestoreCheckpointId(7)
            .addRestoreState(CheckpointMessagesTest.handle(3))
            .setRestoreDirectory("s3://bucket/chk-7")
            .build();

    TaskDeployment deployment = DeploymentMessages.fromProto(wire);

    assertThat(deployment.restore())
        .hasValueSatisfying(r -> assertThat(r.directory()).isEqualTo("s3://bucket/chk-7"));
    assertThat(DeploymentMessages.toProto(deployment, "session-1")).isEqualTo(wire);
  }

  @Test
  void aRestoreWithoutStateForThisSubtaskStaysARestore() {
    SubmitTaskRequest wire =
        fresh().toBuilder().setRestoreCheckpointId(7).setRestoreDirectory("file:///c").build();

    assertThat(DeploymentMessages.fromProto(wire).restore()).isPresent();
    assertThat(DeploymentMessages.toProto(DeploymentMessages.fromProto(wire), "session-1"))
        .isEqualTo(wire);
  }

  @Test
  void aDeploymentWithoutJarInputsOutputsOrConfigStaysWithout() {
    SubmitTaskRequest wire =
        fresh().toBuilder()
            .clearBlobKey()
            .clearInputs()
            .clearOutputs()
            .clearJobConfig()
            .clearSerializedVertex()
            .clearJobName()
            .clearFencingToken()
            .build();

    TaskDeployment deployment = DeploymentMessages.fromProto(wire);

    assertThat(deployment.blobKey()).isEmpty();
    assertThat(DeploymentMessages.toProto(deployment, "")).isEqualTo(wire);
  }

  @Test
  void aNegativeSubtaskIsRefused() {
    SubmitTaskRequest wire = fresh().toBuilder().setSubtaskIndex(-1).build();

    assertThatThrownBy(() -> DeploymentMessages.fromProto(wire))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("negative subtask (-1) or attempt (5) in the deployment of vertex 2");
  }

  @Test
  void aCancelCommandKeepsItsIds() {
    CancelTaskRequest wire =
        CancelTaskRequest.newBuilder()
            .setFencingToken("session-3")
            .setJobId(JOB)
            .setExecutionId(EXECUTION)
            .build();

    assertThat(DeploymentMessages.toProto(DeploymentMessages.fromProto(wire), "session-3"))
        .isEqualTo(wire);
  }
}
