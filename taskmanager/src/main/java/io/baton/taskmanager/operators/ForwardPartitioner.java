package io.baton.taskmanager.operators;

/**
 * FORWARD: a pointwise edge. Producer subtask i has a partition of one subpartition, read only by
 * consumer subtask i, so every record goes to subpartition 0. An all-to-all layout would give each
 * of P consumers P channels, P² in all, of which only P ever carry a record.
 */
final class ForwardPartitioner implements Partitioner {
  ForwardPartitioner(int numberOfChannels) {
    if (numberOfChannels != 1) {
      throw new IllegalArgumentException(
          "a FORWARD output has exactly one subpartition (the consumer subtask of the same index),"
              + " got "
              + numberOfChannels);
    }
  }

  @Override
  public int selectChannel(Object record) {
    return 0;
  }
}
