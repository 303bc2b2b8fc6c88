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
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A {@link TaskManagerGateway} over one gRPC channel to the TaskManager's address: translates each
 * command to the protocol's message and stamps the leader's fencing token on it. The channel is
 * built on the first call: a TaskManager the JobManager never calls (one that only heartbeats,
 * waiting for work) costs it no channel, about 2 KiB of heap each.
 */
public final class GrpcTaskManagerGateway implements TaskManagerGateway {
  private final TaskManagerId id;
  private final RpcAddress address;
  private final String fencingToken;
  private final Duration rpcTimeout;
  private final GrpcChannelFactory channels;
  // guards channel, stub and closed: calls come from every job master's thread
  private final Object lock = new Object();
  private ManagedChannel channel;
  private TaskManagerServiceFutureStub stub;
  private boolean closed;

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
    this.channels = channels;
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
              rpc.apply(stub().withDeadlineAfter(rpcTimeout.toMillis(), TimeUnit.MILLISECONDS)))
          .thenApply(ExecutionMessages::fromProto);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The channel's stub, the channel built now if this is the first call. */
  private TaskManagerServiceFutureStub stub() {
    synchronized (lock) {
      if (closed) {
        // what a call on a shut down channel fails with
        throw Status.UNAVAILABLE.withDescription("Channel shutdown invoked").asRuntimeException();
      }
      if (channel == null) {
        channel = channels.forAddress(address.host(), address.port()).build();
        stub = TaskManagerServiceGrpc.newFutureStub(channel);
      }
      return stub;
    }
  }

  /** Accepts no new calls; calls in flight end by their deadline, so this never blocks. */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      if (channel != null) {
        channel.shutdown();
      }
    }
  }

  @Override
  public String toString() {
    return "TaskManager " + id + " at " + address;
  }
}
