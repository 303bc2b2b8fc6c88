package io.baton.taskmanager.rpc;

import com.google.common.util.concurrent.ListenableFuture;
import io.baton.common.checkpoint.CheckpointAcknowledgement;
import io.baton.common.checkpoint.CheckpointDeclined;
import io.baton.common.checkpoint.EndOfData;
import io.baton.common.cluster.Acknowledgement;
import io.baton.common.cluster.HeartbeatAnswer;
import io.baton.common.cluster.HeartbeatReport;
import io.baton.common.cluster.RegistrationResponse;
import io.baton.common.cluster.TaskManagerRegistration;
import io.baton.common.config.Configuration;
import io.baton.common.config.JobManagerOptions;
import io.baton.common.execution.ExecutionStateUpdate;
import io.baton.common.rpc.BlobChunk;
import io.baton.common.rpc.BlobRequest;
import io.baton.common.rpc.CallFutures;
import io.baton.common.rpc.CheckpointMessages;
import io.baton.common.rpc.ClusterMessages;
import io.baton.common.rpc.ExecutionMessages;
import io.baton.common.rpc.GrpcChannelFactory;
import io.baton.common.rpc.JobManagerServiceGrpc;
import io.baton.taskmanager.executor.JobManagerConnection;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The TaskManager's calls to the JobManager over one gRPC channel; every call has a deadline.
 * Translates Baton's messages to the protocol's and back, and gRPC's failures to {@link
 * io.baton.taskmanager.executor.JobManagerCallException}s. Asynchronous calls complete on a gRPC
 * thread: callers hop onto their own thread.
 *
 * <p>In HA mode the JobManager moves: {@link #retarget} points every later call at the new leader.
 * Until a first target is known, calls fail at once with UNAVAILABLE.
 */
public final class GrpcJobManagerGateway implements JobManagerConnection {
  static final String NO_LEADER = "<no JobManager leader known>";
  private static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

  /** One JobManager's channel and stubs; swapped as a whole so a call never mixes two. */
  private record Target(
      String address,
      ManagedChannel channel,
      JobManagerServiceGrpc.JobManagerServiceFutureStub futureStub,
      JobManagerServiceGrpc.JobManagerServiceBlockingStub blockingStub) {

    static Target of(GrpcChannelFactory channels, String host, int port) {
      ManagedChannel channel =
          channels.forAddress(host, port).maxInboundMessageSize(MAX_MESSAGE_BYTES).build();
      return new Target(
          host + ":" + port,
          channel,
          JobManagerServiceGrpc.newFutureStub(channel),
          JobManagerServiceGrpc.newBlockingStub(channel));
    }
  }

  // written on the TaskExecutor's main thread only (close() runs after it stopped); read by every
  // caller, blob downloads on I/O threads included
  private volatile Target target;
  private volatile boolean closed;
  private final GrpcChannelFactory channels;

  /** A gateway to the JobManager at {@code host:port}. */
  GrpcJobManagerGateway(GrpcChannelFactory channels, String host, int port) {
    this.channels = channels;
    this.target = Target.of(channels, host, port);
  }

  private GrpcJobManagerGateway(GrpcChannelFactory channels) {
    this.channels = channels;
    this.target = null;
  }

  /**
   * A gateway to the JobManager at jobmanager.rpc.address:jobmanager.rpc.port, over channels with
   * the configuration's TLS settings.
   */
  public static GrpcJobManagerGateway toConfiguredAddress(Configuration config) {
    return new GrpcJobManagerGateway(
        GrpcChannelFactory.fromConfiguration(config),
        config.get(JobManagerOptions.ADDRESS),
        config.get(JobManagerOptions.PORT));
  }

  /**
   * A gateway with no JobManager yet (HA mode: leader retrieval names it): calls fail until {@link
   * #retarget} names one.
   */
  public static GrpcJobManagerGateway unconnected(Configuration config) {
    return new GrpcJobManagerGateway(GrpcChannelFactory.fromConfiguration(config));
  }

  @Override
  public String address() {
    Target current = target;
    return current == null ? NO_LEADER : current.address();
  }

  /**
   * Sends every later call to {@code host:port}; calls in flight to the previous JobManager finish
   * or fail on their own. Does nothing when that is already the target.
   *
   * @return whether the target changed
   */
  @Override
  public boolean retarget(String host, int port) {
    Target previous = target;
    if (closed || (previous != null && previous.address().equals(host + ":" + port))) {
      return false;
    }
    target = Target.of(channels, host, port);
    if (previous != null) {
      previous.channel().shutdown();
    }
    return true;
  }

  /**
   * Makes a channel that failed to connect try again at once rather than after gRPC's own reconnect
   * backoff (up to two minutes), so a JobManager that comes back is found quickly.
   */
  @Override
  public void reconnectNow() {
    Target current = target;
    if (current != null) {
      current.channel().resetConnectBackoff();
    }
  }

  @Override
  public CompletableFuture<RegistrationResponse> register(
      TaskManagerRegistration registration, Duration deadline) {
    return call(deadline, stub -> stub.registerTaskManager(ClusterMessages.toProto(registration)))
        .thenApply(ClusterMessages::fromProto);
  }

  @Override
  public CompletableFuture<HeartbeatAnswer> heartbeat(
      HeartbeatReport heartbeat, Duration deadline) {
    return call(deadline, stub -> stub.heartbeat(ClusterMessages.toProto(heartbeat)))
        .thenApply(ClusterMessages::fromProto);
  }

  @Override
  public CompletableFuture<Acknowledgement> updateTaskState(
      ExecutionStateUpdate update, Duration deadline) {
    return call(deadline, stub -> stub.updateTaskState(ExecutionMessages.toProto(update)))
        .thenApply(ExecutionMessages::fromProto);
  }

  @Override
  public CompletableFuture<Acknowledgement> acknowledgeCheckpoint(
      CheckpointAcknowledgement ack, Duration deadline) {
    return call(deadline, stub -> stub.acknowledgeCheckpoint(CheckpointMessages.toProto(ack)))
        .thenApply(ExecutionMessages::fromProto);
  }

  @Override
  public CompletableFuture<Acknowledgement> declineCheckpoint(
      CheckpointDeclined decline, Duration deadline) {
    return call(deadline, stub -> stub.declineCheckpoint(CheckpointMessages.toProto(decline)))
        .thenApply(ExecutionMessages::fromProto);
  }

  @Override
  public CompletableFuture<Acknowledgement> notifyEndOfData(EndOfData notice, Duration deadline) {
    return call(deadline, stub -> stub.notifyEndOfData(CheckpointMessages.toProto(notice)))
        .thenApply(ExecutionMessages::fromProto);
  }

  /** The call's answer, or a failure naming gRPC's status in one line. */
  private <T> CompletableFuture<T> call(
      Duration deadline,
      Function<JobManagerServiceGrpc.JobManagerServiceFutureStub, ListenableFuture<T>> call) {
    Target current = target;
    if (current == null) {
      return CompletableFuture.failedFuture(RpcFailures.toCallException(noLeader()));
    }
    CompletableFuture<T> answer = new CompletableFuture<>();
    CallFutures.toCompletable(
            call.apply(
                current.futureStub().withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)))
        .whenComplete(
            (value, error) -> {
              if (error != null) {
                answer.completeExceptionally(RpcFailures.toCallException(error));
              } else {
                answer.complete(value);
              }
            });
    return answer;
  }

  /** Streams a blob's chunks; blocks the calling thread, at most until the deadline. */
  Iterator<BlobChunk> downloadBlob(BlobRequest request, Duration deadline) {
    Target current = target;
    if (current == null) {
      throw noLeader();
    }
    return current
        .blockingStub()
        .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
        .downloadBlob(request);
  }

  private static StatusRuntimeException noLeader() {
    return Status.UNAVAILABLE
        .withDescription("no JobManager leader is known yet")
        .asRuntimeException();
  }

  @Override
  public void close() {
    closed = true;
    Target current = target;
    if (current == null) {
      return;
    }
    current.channel().shutdownNow();
    try {
      current.channel().awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
