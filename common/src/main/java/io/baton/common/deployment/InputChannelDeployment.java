package io.baton.common.deployment;

import io.baton.common.cluster.RpcAddress;
import io.baton.common.ids.TaskManagerId;
import java.util.Objects;

/**
 * Where one upstream subtask's output for this consumer lives.
 *
 * @param partitionId the producing execution and edge: {@code <execution id>-<edge index>}
 * @param subpartitionIndex the subpartition of that partition meant for this consumer subtask
 * @param producerAddress the TaskManager that runs the producer
 */
public record InputChannelDeployment(
    String partitionId,
    int subpartitionIndex,
    RpcAddress producerAddress,
    TaskManagerId producerTaskManagerId,
    int producerSubtaskIndex) {

  public InputChannelDeployment {
    Objects.requireNonNull(partitionId, "partitionId");
    Objects.requireNonNull(producerAddress, "producerAddress");
    Objects.requireNonNull(producerTaskManagerId, "producerTaskManagerId");
  }
}
