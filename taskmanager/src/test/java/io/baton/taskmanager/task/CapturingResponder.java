package io.baton.taskmanager.task;

import io.baton.common.rpc.CheckpointAck;
import io.baton.common.rpc.CheckpointDecline;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps the checkpoint answers of tasks, as the JobManager's coordinator would receive them. */
final class CapturingResponder implements CheckpointResponder {
  final List<CheckpointAck> acks = new CopyOnWriteArrayList<>();
  final List<CheckpointDecline> declines = new CopyOnWriteArrayList<>();

  @Override
  public void acknowledge(CheckpointAck ack) {
    acks.add(ack);
  }

  @Override
  public void decline(CheckpointDecline decline) {
    declines.add(decline);
  }

  List<CheckpointAck> acksOf(long checkpointId) {
    return acks.stream().filter(a -> a.getCheckpointId() == checkpointId).toList();
  }
}
