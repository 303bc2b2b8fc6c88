package io.baton.coordinator.rpc;

import io.baton.common.rpc.Ack;
import io.baton.common.rpc.CheckpointAck;
import io.baton.common.rpc.CheckpointDecline;
import io.baton.common.rpc.TaskStateUpdate;
import java.util.concurrent.CompletableFuture;

/**
 * Where TaskManagers' task state reports and checkpoint answers go: the running job's master (see
 * {@code io.baton.coordinator.jobmaster.RunningJobsRegistry}). Each answer says whether the job
 * took the message, or why not in one line.
 */
public interface TaskStateReceiver {
  CompletableFuture<Ack> updateTaskState(TaskStateUpdate update);

  /** A task finished its part of a checkpoint. */
  CompletableFuture<Ack> acknowledgeCheckpoint(CheckpointAck ack);

  /** A task could not take part in a checkpoint. */
  CompletableFuture<Ack> declineCheckpoint(CheckpointDecline decline);
}
