package io.baton.coordinator.rpc;

import io.baton.common.rpc.Ack;
import io.baton.common.rpc.TaskStateUpdate;
import java.util.concurrent.CompletableFuture;

/** Where TaskManagers' task state reports go (the dispatcher, which routes them to the job). */
@FunctionalInterface
public interface TaskStateReceiver {
  CompletableFuture<Ack> updateTaskState(TaskStateUpdate update);
}
