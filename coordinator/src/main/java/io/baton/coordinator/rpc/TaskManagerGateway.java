package io.baton.coordinator.rpc;

import io.baton.common.ids.TaskManagerId;
import io.baton.common.rpc.Ack;
import io.baton.common.rpc.Address;
import io.baton.common.rpc.CancelTaskRequest;
import io.baton.common.rpc.FreeSlotRequest;
import io.baton.common.rpc.SubmitTaskRequest;
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

  /** Releases the connection; calls after this fail. */
  @Override
  void close();
}
