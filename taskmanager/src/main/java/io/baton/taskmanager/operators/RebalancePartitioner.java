package io.baton.taskmanager.operators;

/**
 * REBALANCE: round robin over all subpartitions, each producer starting at its own subtask index so
 * that producers do not all hit subpartition 0 first.
 */
final class RebalancePartitioner implements Partitioner {
  private final int numberOfChannels;
  private int next;

  RebalancePartitioner(int subtaskIndex, int numberOfChannels) {
    this.numberOfChannels = numberOfChannels;
    this.next = subtaskIndex % numberOfChannels;
  }

  @Override
  public int selectChannel(Object record) {
    int channel = next;
    next = channel + 1 == numberOfChannels ? 0 : channel + 1;
    return channel;
  }
}
