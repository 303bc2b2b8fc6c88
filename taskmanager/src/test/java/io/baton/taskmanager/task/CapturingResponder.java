package io.baton.taskmanager.task;

import io.baton.common.checkpoint.CheckpointAcknowledgement;
import io.baton.common.checkpoint.CheckpointDeclined;
import io.baton.common.checkpoint.EndOfData;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps the checkpoint answers of tasks, as the JobManager's coordinator would receive them. */
final class CapturingResponder implements CheckpointResponder {
  final List<CheckpointAcknowledgement> acks = new CopyOnWriteArrayList<>();
  final List<CheckpointDeclined> declines = new CopyOnWriteArrayList<>();
  final List<EndOfData> endsOfData = new CopyOnWriteArrayList<>();

  @Override
  public void acknowledge(CheckpointAcknowledgement ack) {
    acks.add(ack);
  }

  @Override
  public void decline(CheckpointDeclined decline) {
    declines.add(decline);
  }

  @Override
  public void endOfData(EndOfData notice) {
    endsOfData.add(notice);
  }

  List<CheckpointAcknowledgement> acksOf(long checkpointId) {
    return acks.stream().filter(a -> a.checkpointId() == checkpointId).toList();
  }
}
