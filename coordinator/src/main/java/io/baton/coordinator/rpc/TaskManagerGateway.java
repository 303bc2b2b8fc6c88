package io.baton.coordinator.rpc;

import io.baton.common.ids.TaskManagerId;
import io.baton.common.rpc.Ack;
import io.baton.common.rpc.Address;
import io.baton.common.rpc.CancelTaskRequest;
import io.baton.common.rpc.CheckpointNotification;
import io.baton.common.rpc.FreeSlotRequest;
import io.baton.common.rpc.SubmitTaskRequest;
import io.baton.common.rpc.TriggerCheckpointRequest;
import java.util.concurrent.CompletableFuture;

/**
 * The JobManager's side of one TaskManager's {@link io.baton.common.rpc.TaskManagerServiceGrpc}.
 * Every request leaves stamped with the JobManager's fencing token (callers leave it empty); every
 * call has a deadline. Futures complete on an RPC thread: callers hop back onto their own.
 */
public interface TaskManagerGateway extends AutoCloseable {

  TaskManagerId taskManagerId();

  Address address();

  CompletableFuture<Ack> submitTask(SubmitTaskRequest request);

  CompletableFuture<Ack> cancelTask(CancelTaskRequest request);

  CompletableFuture<Ack> freeSlot(FreeSlotRequest request);

  /** Asks a source task to inject a checkpoint barrier. */
  CompletableFuture<Ack> triggerCheckpoint(TriggerCheckpointRequest request);

  /** Tells a task a checkpoint completed (sinks commit then). */
  CompletableFuture<Ack> notifyCheckpointComplete(CheckpointNotification notification);

  /** Tells a task a checkpoint was aborted (it drops what it kept for it). */
  CompletableFuture<Ack> notifyCheckpointAborted(CheckpointNotification notification);

  /** Releases the connection; calls after this fail. */
  @Override
  void close();
}
