package io.baton.taskmanager.network;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The live result partitions of one TaskManager, by partition id. */
final class ResultPartitionRegistry {
  private final ConcurrentMap<String, PipelinedResultPartition> partitions =
      new ConcurrentHashMap<>();

  void register(PipelinedResultPartition partition) {
    PipelinedResultPartition existing = partitions.putIfAbsent(partition.id(), partition);
    if (existing != null) {
      throw new IllegalStateException("partition " + partition.id() + " is already registered");
    }
  }

  /** The partition, or null when it is not (or no longer) here. */
  PipelinedResultPartition lookup(String partitionId) {
    return partitions.get(partitionId);
  }

  void unregister(PipelinedResultPartition partition) {
    partitions.remove(partition.id(), partition);
  }

  Collection<PipelinedResultPartition> all() {
    return List.copyOf(partitions.values());
  }
}
