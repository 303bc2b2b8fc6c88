package io.baton.taskmanager.operators;

/** FORWARD: producer subtask i writes only subpartition i. */
final class ForwardPartitioner implements Partitioner {
  private final int channel;

  ForwardPartitioner(int subtaskIndex, int numberOfChannels) {
    if (subtaskIndex >= numberOfChannels) {
      throw new IllegalArgumentException(
          "a FORWARD output of subtask "
              + subtaskIndex
              + " needs at least "
              + (subtaskIndex + 1)
              + " subpartitions, got "
              + numberOfChannels
              + ": forward edges connect vertices of equal parallelism");
    }
    this.channel = subtaskIndex;
  }

  @Override
  public int selectChannel(Object record) {
    return channel;
  }
}
