package io.baton.common.deployment;

import java.util.Objects;

/**
 * One output of a task: one outgoing edge.
 *
 * @param partitionId {@code <execution id>-<edge index>}
 * @param partitioning FORWARD, HASH, REBALANCE or BROADCAST ({@code
 *     io.baton.api.graph.Partitioning})
 * @param targetMaxParallelism for HASH: the consumer's max parallelism (number of key groups)
 */
public record ResultPartitionDeployment(
    String partitionId,
    int edgeIndex,
    int targetVertexId,
    String partitioning,
    int numberOfSubpartitions,
    int targetMaxParallelism) {

  public ResultPartitionDeployment {
    Objects.requireNonNull(partitionId, "partitionId");
    Objects.requireNonNull(partitioning, "partitioning");
  }
}
