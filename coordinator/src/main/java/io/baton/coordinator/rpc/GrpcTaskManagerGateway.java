package io.baton.coordinator.rpc;

import com.google.common.util.concurrent.ListenableFuture;
import io.baton.common.checkpoint.CheckpointNotice;
import io.baton.common.checkpoint.CheckpointTrigger;
import io.baton.common.cluster.Acknowledgement;
import io.baton.common.cluster.FreeSlotCommand;
import io.baton.common.cluster.RpcAddress;
import io.baton.common.deployment.AdoptTasksCommand;
import io.baton.common.deployment.CancelTaskCommand;
import io.baton.common.deployment.TaskDeployment;
import io.baton.common.ids.TaskManagerId;
import io.baton.common.rpc.Ack;
import io.baton.common.rpc.CallFutures;
import io.baton.common.rpc.CheckpointMessages;
import io.baton.common.rpc.ClusterMessages;
import io.baton.common.rpc.DeploymentMessages;
import io.baton.common.rpc.ExecutionMessages;
import io.baton.common.rpc.GrpcChannelFactory;
import io.baton.common.rpc.TaskManagerServiceGrpc;
import io.baton.common.rpc.TaskManagerServiceGrpc.TaskManagerServiceFutureStub;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A {@link TaskManagerGateway} over one gRPC channel to the TaskManager's address: translates each
 * command to the protocol's message and stamps the leader's fencing token on it.
 */
public final class GrpcTaskManagerGateway implements TaskManagerGateway {
  private final TaskManagerId id;
  private final RpcAddress address;
  private final String fencingToken;
  private final Duration rpcTimeout;
  private final ManagedChannel channel;
  private final TaskManagerServiceFutureStub stub;

  GrpcTaskManagerGateway(
      GrpcChannelFactory channels,
      TaskManagerId id,
      RpcAddress address,
      String fencingToken,
      Duration rpcTimeout) {
    this.id = id;
    this.address = address;
    this.fencingToken = fencingToken;
    this.rpcTimeout = rpcTimeout;
    this.channel = channels.forAddress(address.host(), address.port()).build();
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
  public RpcAddress address() {
    return address;
  }

  @Override
  public CompletableFuture<Acknowledgement> submitTask(TaskDeployment deployment) {
    return call(s -> s.submitTask(DeploymentMessages.toProto(deployment, fencingToken)));
  }

  @Override
  public CompletableFuture<Acknowledgement> cancelTask(CancelTaskCommand command) {
    return call(s -> s.cancelTask(DeploymentMessages.toProto(command, fencingToken)));
  }

  @Override
  public CompletableFuture<Acknowledgement> freeSlot(FreeSlotCommand command) {
    return call(s -> s.freeSlot(ClusterMessages.toProto(command, fencingToken)));
  }

  @Override
  public CompletableFuture<Acknowledgement> triggerCheckpoint(CheckpointTrigger trigger) {
    return call(s -> s.triggerCheckpoint(CheckpointMessages.toProto(trigger, fencingToken)));
  }

  @Override
  public CompletableFuture<Acknowledgement> notifyCheckpointComplete(CheckpointNotice notice) {
    return call(s -> s.notifyCheckpointComplete(CheckpointMessages.toProto(notice, fencingToken)));
  }

  @Override
  public CompletableFuture<Acknowledgement> notifyCheckpointAborted(CheckpointNotice notice) {
    return call(s -> s.notifyCheckpointAborted(CheckpointMessages.toProto(notice, fencingToken)));
  }

  @Override
  public CompletableFuture<Acknowledgement> adoptTasks(AdoptTasksCommand command) {
    return call(s -> s.adoptTasks(DeploymentMessages.toProto(command, fencingToken)));
  }

  private CompletableFuture<Acknowledgement> call(
      Function<TaskManagerServiceFutureStub, ListenableFuture<Ack>> rpc) {
    try {
      return CallFutures.toCompletable(
              rpc.apply(stub.withDeadlineAfter(rpcTimeout.toMillis(), TimeUnit.MILLISECONDS)))
          .thenApply(ExecutionMessages::fromProto);
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
    return "TaskManager " + id + " at " + address;
  }
}
