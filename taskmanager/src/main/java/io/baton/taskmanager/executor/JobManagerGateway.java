package io.baton.taskmanager.executor;

import com.google.common.util.concurrent.ListenableFuture;
import io.baton.common.rpc.Ack;
import io.baton.common.rpc.BlobChunk;
import io.baton.common.rpc.BlobRequest;
import io.baton.common.rpc.CallFutures;
import io.baton.common.rpc.CheckpointAck;
import io.baton.common.rpc.CheckpointDecline;
import io.baton.common.rpc.GrpcChannelFactory;
import io.baton.common.rpc.HeartbeatResponse;
import io.baton.common.rpc.JobManagerServiceGrpc;
import io.baton.common.rpc.RegisterTaskManagerRequest;
import io.baton.common.rpc.RegisterTaskManagerResponse;
import io.baton.common.rpc.TaskManagerHeartbeat;
import io.baton.common.rpc.TaskStateUpdate;
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
 * Asynchronous calls complete on a gRPC thread: callers hop onto their own thread.
 *
 * <p>In HA mode the JobManager moves: {@link #retarget} points every later call at the new leader.
 * Until a first target is known, calls fail at once with UNAVAILABLE.
 */
final class JobManagerGateway implements AutoCloseable {
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
  JobManagerGateway(GrpcChannelFactory channels, String host, int port) {
    this.channels = channels;
    this.target = Target.of(channels, host, port);
  }

  private JobManagerGateway(GrpcChannelFactory channels) {
    this.channels = channels;
    this.target = null;
  }

  /** A gateway with no JobManager yet: calls fail until {@link #retarget} names one. */
  static JobManagerGateway unconnected(GrpcChannelFactory channels) {
    return new JobManagerGateway(channels);
  }

  /** host:port of the current target, for logs. */
  String address() {
    Target current = target;
    return current == null ? NO_LEADER : current.address();
  }

  /**
   * Sends every later call to {@code host:port}; calls in flight to the previous JobManager finish
   * or fail on their own. Does nothing when that is already the target.
   *
   * @return whether the target changed
   */
  boolean retarget(String host, int port) {
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
  void reconnectNow() {
    Target current = target;
    if (current != null) {
      current.channel().resetConnectBackoff();
    }
  }

  CompletableFuture<RegisterTaskManagerResponse> register(
      RegisterTaskManagerRequest request, Duration deadline) {
    return call(deadline, stub -> stub.registerTaskManager(request));
  }

  CompletableFuture<HeartbeatResponse> heartbeat(TaskManagerHeartbeat request, Duration deadline) {
    return call(deadline, stub -> stub.heartbeat(request));
  }

  CompletableFuture<Ack> updateTaskState(TaskStateUpdate update, Duration deadline) {
    return call(deadline, stub -> stub.updateTaskState(update));
  }

  CompletableFuture<Ack> acknowledgeCheckpoint(CheckpointAck ack, Duration deadline) {
    return call(deadline, stub -> stub.acknowledgeCheckpoint(ack));
  }

  CompletableFuture<Ack> declineCheckpoint(CheckpointDecline decline, Duration deadline) {
    return call(deadline, stub -> stub.declineCheckpoint(decline));
  }

  private <T> CompletableFuture<T> call(
      Duration deadline,
      Function<JobManagerServiceGrpc.JobManagerServiceFutureStub, ListenableFuture<T>> call) {
    Target current = target;
    if (current == null) {
      return CompletableFuture.failedFuture(noLeader());
    }
    return CallFutures.toCompletable(
        call.apply(
            current.futureStub().withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)));
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
