package io.baton.taskmanager.task;

import io.baton.common.rpc.CheckpointAck;
import io.baton.common.rpc.CheckpointDecline;

/**
 * Where a task's checkpoint answers go: to the JobManager's checkpoint coordinator. Called from the
 * task's thread or an I/O thread; implementations must not block for long.
 */
public interface CheckpointResponder {

  /** The task wrote its state for the checkpoint; the ack names every file. */
  void acknowledge(CheckpointAck ack);

  /** The task could not take part in the checkpoint; the decline says why. */
  void decline(CheckpointDecline decline);

  /** Drops the answers (for tasks run without a JobManager). */
  static CheckpointResponder ignoring() {
    return new CheckpointResponder() {
      @Override
      public void acknowledge(CheckpointAck ack) {}

      @Override
      public void decline(CheckpointDecline decline) {}
    };
  }
}
