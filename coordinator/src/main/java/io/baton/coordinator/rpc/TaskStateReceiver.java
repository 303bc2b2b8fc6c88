package io.baton.coordinator.rpc;

import io.baton.common.rpc.Ack;
import io.baton.common.rpc.CheckpointAck;
import io.baton.common.rpc.CheckpointDecline;
import io.baton.common.rpc.TaskStateUpdate;
import java.util.concurrent.CompletableFuture;

/**
 * Where TaskManagers' task state reports and checkpoint answers go (the dispatcher, which routes
 * them to the job).
 */
@FunctionalInterface
public interface TaskStateReceiver {
  CompletableFuture<Ack> updateTaskState(TaskStateUpdate update);

  /** A task acknowledged a checkpoint; without checkpoint support the answer says so. */
  default CompletableFuture<Ack> acknowledgeCheckpoint(CheckpointAck ack) {
    return CompletableFuture.completedFuture(
        Ack.newBuilder().setOk(false).setError("checkpoints not supported yet").build());
  }

  /** A task declined a checkpoint; without checkpoint support the answer says so. */
  default CompletableFuture<Ack> declineCheckpoint(CheckpointDecline decline) {
    return CompletableFuture.completedFuture(
        Ack.newBuilder().setOk(false).setError("checkpoints not supported yet").build());
  }
}
