package io.baton.taskmanager.executor;

import io.baton.common.rpc.Ack;
import io.baton.common.rpc.BlobChunk;
import io.baton.common.rpc.BlobRequest;
import io.baton.common.rpc.CallFutures;
import io.baton.common.rpc.CheckpointAck;
import io.baton.common.rpc.CheckpointDecline;
import io.baton.common.rpc.HeartbeatResponse;
import io.baton.common.rpc.JobManagerServiceGrpc;
import io.baton.common.rpc.RegisterTaskManagerRequest;
import io.baton.common.rpc.RegisterTaskManagerResponse;
import io.baton.common.rpc.TaskManagerHeartbeat;
import io.baton.common.rpc.TaskStateUpdate;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The TaskManager's calls to the JobManager over one gRPC channel; every call has a deadline.
 * Asynchronous calls complete on a gRPC thread: callers hop onto their own thread.
 */
final class JobManagerGateway implements AutoCloseable {
  private final String address;
  private final ManagedChannel channel;
  private final JobManagerServiceGrpc.JobManagerServiceFutureStub futureStub;
  private final JobManagerServiceGrpc.JobManagerServiceBlockingStub blockingStub;

  JobManagerGateway(String host, int port) {
    this.address = host + ":" + port;
    this.channel =
        NettyChannelBuilder.forAddress(host, port)
            .usePlaintext()
            .maxInboundMessageSize(64 * 1024 * 1024)
            .build();
    this.futureStub = JobManagerServiceGrpc.newFutureStub(channel);
    this.blockingStub = JobManagerServiceGrpc.newBlockingStub(channel);
  }

  /** host:port, for logs. */
  String address() {
    return address;
  }

  /**
   * Makes a channel that failed to connect try again at once rather than after gRPC's own reconnect
   * backoff (up to two minutes), so a JobManager that comes back is found quickly.
   */
  void reconnectNow() {
    channel.resetConnectBackoff();
  }

  CompletableFuture<RegisterTaskManagerResponse> register(
      RegisterTaskManagerRequest request, Duration deadline) {
    return CallFutures.toCompletable(withDeadline(deadline).registerTaskManager(request));
  }

  CompletableFuture<HeartbeatResponse> heartbeat(TaskManagerHeartbeat request, Duration deadline) {
    return CallFutures.toCompletable(withDeadline(deadline).heartbeat(request));
  }

  CompletableFuture<Ack> updateTaskState(TaskStateUpdate update, Duration deadline) {
    return CallFutures.toCompletable(withDeadline(deadline).updateTaskState(update));
  }

  CompletableFuture<Ack> acknowledgeCheckpoint(CheckpointAck ack, Duration deadline) {
    return CallFutures.toCompletable(withDeadline(deadline).acknowledgeCheckpoint(ack));
  }

  CompletableFuture<Ack> declineCheckpoint(CheckpointDecline decline, Duration deadline) {
    return CallFutures.toCompletable(withDeadline(deadline).declineCheckpoint(decline));
  }

  private JobManagerServiceGrpc.JobManagerServiceFutureStub withDeadline(Duration deadline) {
    return futureStub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Streams a blob's chunks; blocks the calling thread, at most until the deadline. */
  Iterator<BlobChunk> downloadBlob(BlobRequest request, Duration deadline) {
    return blockingStub
        .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
        .downloadBlob(request);
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
