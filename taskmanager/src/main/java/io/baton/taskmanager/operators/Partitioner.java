package io.baton.taskmanager.operators;

import io.baton.api.functions.KeySelector;
import io.baton.api.graph.Partitioning;

/**
 * Chooses the subpartition (consumer subtask) of an outgoing edge each record goes to. Stateful
 * (round robin), so one instance per output; used only by the task's thread.
 */
public interface Partitioner {

  /** What {@link #selectChannel} returns when the record goes to every subpartition. */
  int ALL_CHANNELS = -1;

  /**
   * @return the subpartition for {@code record}, or {@link #ALL_CHANNELS}
   * @throws Exception when the key selector fails
   */
  int selectChannel(Object record) throws Exception;

  /**
   * The partitioner of one output of one producing subtask.
   *
   * @param partitioning how the edge distributes records
   * @param subtaskIndex the producing subtask
   * @param numberOfChannels the output's subpartitions: 1 for FORWARD, else the consumer's
   *     parallelism
   * @param maxParallelism for HASH: the consumer's number of key groups
   * @param keySelector for HASH: the edge's key selector; else ignored
   */
  @SuppressWarnings("unchecked")
  static Partitioner create(
      Partitioning partitioning,
      int subtaskIndex,
      int numberOfChannels,
      int maxParallelism,
      KeySelector<?, ?> keySelector) {
    if (numberOfChannels < 1) {
      throw new IllegalArgumentException(
          "an output needs at least one subpartition, got " + numberOfChannels);
    }
    return switch (partitioning) {
      case FORWARD -> new ForwardPartitioner(numberOfChannels);
      case REBALANCE -> new RebalancePartitioner(subtaskIndex, numberOfChannels);
      case BROADCAST -> record -> ALL_CHANNELS;
      case HASH -> {
        if (keySelector == null) {
          throw new IllegalArgumentException("a HASH output needs the edge's key selector");
        }
        yield new HashPartitioner(
            (KeySelector<Object, ?>) keySelector, maxParallelism, numberOfChannels);
      }
    };
  }
}
