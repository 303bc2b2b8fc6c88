package io.baton.taskmanager.task;

import io.baton.common.checkpoint.CheckpointAcknowledgement;
import io.baton.common.checkpoint.CheckpointDeclined;
import io.baton.common.checkpoint.EndOfData;

/**
 * Where a task's checkpoint answers go: to the JobManager's checkpoint coordinator. Called from the
 * task's thread or an I/O thread; implementations must not block for long.
 */
public interface CheckpointResponder {

  /** The task wrote its state for the checkpoint; the ack names every file. */
  void acknowledge(CheckpointAcknowledgement ack);

  /** The task could not take part in the checkpoint; the decline says why. */
  void decline(CheckpointDeclined decline);

  /** The source emitted its last record and waits for its final checkpoint. */
  void endOfData(EndOfData notice);

  /** Drops the answers (for tasks run without a JobManager). */
  static CheckpointResponder ignoring() {
    return new CheckpointResponder() {
      @Override
      public void acknowledge(CheckpointAcknowledgement ack) {}

      @Override
      public void decline(CheckpointDeclined decline) {}

      @Override
      public void endOfData(EndOfData notice) {}
    };
  }
}
