package io.baton.coordinator.rpc;

import io.baton.common.checkpoint.CheckpointAcknowledgement;
import io.baton.common.checkpoint.CheckpointDeclined;
import io.baton.common.checkpoint.EndOfData;
import io.baton.common.cluster.Acknowledgement;
import io.baton.common.execution.ExecutionStateUpdate;
import java.util.concurrent.CompletableFuture;

/**
 * Where TaskManagers' task state reports and checkpoint answers go: the running job's master (see
 * {@code io.baton.coordinator.jobmaster.RunningJobsRegistry}). Each answer says whether the job
 * took the message, or why not in one line.
 */
public interface TaskStateReceiver {
  CompletableFuture<Acknowledgement> updateTaskState(ExecutionStateUpdate update);

  /** A task finished its part of a checkpoint. */
  CompletableFuture<Acknowledgement> acknowledgeCheckpoint(CheckpointAcknowledgement ack);

  /** A task could not take part in a checkpoint. */
  CompletableFuture<Acknowledgement> declineCheckpoint(CheckpointDeclined decline);

  /** A source task emitted its last record and waits for its final checkpoint. */
  CompletableFuture<Acknowledgement> notifyEndOfData(EndOfData notice);
}
