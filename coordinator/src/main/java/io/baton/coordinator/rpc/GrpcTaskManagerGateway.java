package io.baton.coordinator.rpc;

import com.google.common.util.concurrent.ListenableFuture;
import io.baton.common.ids.TaskManagerId;
import io.baton.common.rpc.Ack;
import io.baton.common.rpc.Address;
import io.baton.common.rpc.CallFutures;
import io.baton.common.rpc.CancelTaskRequest;
import io.baton.common.rpc.CheckpointNotification;
import io.baton.common.rpc.FreeSlotRequest;
import io.baton.common.rpc.GrpcChannelFactory;
import io.baton.common.rpc.SubmitTaskRequest;
import io.baton.common.rpc.TaskManagerServiceGrpc;
import io.baton.common.rpc.TaskManagerServiceGrpc.TaskManagerServiceFutureStub;
import io.baton.common.rpc.TriggerCheckpointRequest;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** A {@link TaskManagerGateway} over one gRPC channel to the TaskManager's address. */
public final class GrpcTaskManagerGateway implements TaskManagerGateway {
  private final TaskManagerId id;
  private final Address address;
  private final String fencingToken;
  private final Duration rpcTimeout;
  private final ManagedChannel channel;
  private final TaskManagerServiceFutureStub stub;

  GrpcTaskManagerGateway(
      GrpcChannelFactory channels,
      TaskManagerId id,
      Address address,
      String fencingToken,
      Duration rpcTimeout) {
    this.id = id;
    this.address = address;
    this.fencingToken = fencingToken;
    this.rpcTimeout = rpcTimeout;
    this.channel = channels.forAddress(address.getHost(), address.getPort()).build();
    this.stub = TaskManagerServiceGrpc.newFutureStub(channel);
  }

  /**
   * Gateways that stamp {@code fencingToken} on every request and give each call {@code
   * rpcTimeout}.
   */
  public static TaskManagerGatewayFactory factory(
      GrpcChannelFactory channels, String fencingToken, Duration rpcTimeout) {
    return (id, address) ->
        new GrpcTaskManagerGateway(channels, id, address, fencingToken, rpcTimeout);
  }

  @Override
  public TaskManagerId taskManagerId() {
    return id;
  }

  @Override
  public Address address() {
    return address;
  }

  @Override
  public CompletableFuture<Ack> submitTask(SubmitTaskRequest request) {
    return call(s -> s.submitTask(request.toBuilder().setFencingToken(fencingToken).build()));
  }

  @Override
  public CompletableFuture<Ack> cancelTask(CancelTaskRequest request) {
    return call(s -> s.cancelTask(request.toBuilder().setFencingToken(fencingToken).build()));
  }

  @Override
  public CompletableFuture<Ack> freeSlot(FreeSlotRequest request) {
    return call(s -> s.freeSlot(request.toBuilder().setFencingToken(fencingToken).build()));
  }

  @Override
  public CompletableFuture<Ack> triggerCheckpoint(TriggerCheckpointRequest request) {
    return call(
        s -> s.triggerCheckpoint(request.toBuilder().setFencingToken(fencingToken).build()));
  }

  @Override
  public CompletableFuture<Ack> notifyCheckpointComplete(CheckpointNotification notification) {
    return call(
        s ->
            s.notifyCheckpointComplete(
                notification.toBuilder().setFencingToken(fencingToken).build()));
  }

  @Override
  public CompletableFuture<Ack> notifyCheckpointAborted(CheckpointNotification notification) {
    return call(
        s ->
            s.notifyCheckpointAborted(
                notification.toBuilder().setFencingToken(fencingToken).build()));
  }

  private <T> CompletableFuture<T> call(
      Function<TaskManagerServiceFutureStub, ListenableFuture<T>> rpc) {
    try {
      return CallFutures.toCompletable(
          rpc.apply(stub.withDeadlineAfter(rpcTimeout.toMillis(), TimeUnit.MILLISECONDS)));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Accepts no new calls; calls in flight end by their deadline, so this never blocks. */
  @Override
  public void close() {
    channel.shutdown();
  }

  @Override
  public String toString() {
    return "TaskManager " + id + " at " + address.getHost() + ":" + address.getPort();
  }
}
