package io.baton.taskmanager.operators;

import io.baton.api.functions.KeySelector;
import io.baton.common.state.KeyGroups;

/**
 * HASH: a record goes to the consumer subtask owning its key's key group, the same rule the
 * consumer's keyed state backend uses to accept the key.
 */
final class HashPartitioner implements Partitioner {
  private final KeySelector<Object, ?> keySelector;
  private final int maxParallelism;
  private final int numberOfChannels;

  HashPartitioner(KeySelector<Object, ?> keySelector, int maxParallelism, int numberOfChannels) {
    if (maxParallelism < numberOfChannels) {
      throw new IllegalArgumentException(
          "a HASH output over "
              + numberOfChannels
              + " subpartitions needs at least as many key groups, got max parallelism "
              + maxParallelism);
    }
    this.keySelector = keySelector;
    this.maxParallelism = maxParallelism;
    this.numberOfChannels = numberOfChannels;
  }

  @Override
  public int selectChannel(Object record) throws Exception {
    Object key = keySelector.getKey(record);
    if (key == null) {
      throw new NullPointerException("the key selector returned null for record " + record);
    }
    return KeyGroups.subtaskForKey(key, maxParallelism, numberOfChannels);
  }
}
