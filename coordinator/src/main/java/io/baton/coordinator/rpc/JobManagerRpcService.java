package io.baton.coordinator.rpc;

import com.google.protobuf.ByteString;
import io.baton.common.cluster.Acknowledgement;
import io.baton.common.cluster.HeartbeatReport;
import io.baton.common.cluster.RegistrationResponse;
import io.baton.common.cluster.TaskManagerRegistration;
import io.baton.common.rpc.Ack;
import io.baton.common.rpc.BlobChunk;
import io.baton.common.rpc.BlobRequest;
import io.baton.common.rpc.CheckpointAck;
import io.baton.common.rpc.CheckpointDecline;
import io.baton.common.rpc.CheckpointMessages;
import io.baton.common.rpc.ClusterMessages;
import io.baton.common.rpc.EndOfDataNotice;
import io.baton.common.rpc.ExecutionMessages;
import io.baton.common.rpc.HeartbeatResponse;
import io.baton.common.rpc.IdentifyRequest;
import io.baton.common.rpc.IdentifyResponse;
import io.baton.common.rpc.JobManagerServiceGrpc;
import io.baton.common.rpc.RegisterTaskManagerRequest;
import io.baton.common.rpc.RegisterTaskManagerResponse;
import io.baton.common.rpc.TaskManagerHeartbeat;
import io.baton.common.rpc.TaskStateUpdate;
import io.baton.coordinator.blob.BlobStore;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JobManager's gRPC endpoint for TaskManagers. Handlers do no work on gRPC's threads: they read
 * each request into Baton's types (a malformed one is refused with one line naming what is wrong),
 * hand it to the component that owns the state (resource manager, a job's master) and answer when
 * its future completes.
 */
public final class JobManagerRpcService extends JobManagerServiceGrpc.JobManagerServiceImplBase {
  private static final Logger LOG = LoggerFactory.getLogger(JobManagerRpcService.class);
  static final int BLOB_CHUNK_BYTES = 64 * 1024;

  private final TaskManagerRegistrar registrar;
  private final TaskStateReceiver taskStates;
  private final BlobStore blobStore;
  private final IdentifyResponse identity;

  /**
   * @param instanceId this JobManager process's instance id, which it publishes in {@code
   *     leader/info} when it leads and answers to {@code Identify}
   */
  public JobManagerRpcService(
      TaskManagerRegistrar registrar,
      TaskStateReceiver taskStates,
      BlobStore blobStore,
      String instanceId) {
    this.registrar = registrar;
    this.taskStates = taskStates;
    this.blobStore = blobStore;
    this.identity = IdentifyResponse.newBuilder().setInstanceId(instanceId).build();
  }

  /**
   * Answers at once on gRPC's thread, leading or not: it reads nothing but a constant, so a standby
   * probing a busy leader is never queued behind its components.
   */
  @Override
  public void identify(IdentifyRequest request, StreamObserver<IdentifyResponse> responseObserver) {
    responseObserver.onNext(identity);
    responseObserver.onCompleted();
  }

  @Override
  public void registerTaskManager(
      RegisterTaskManagerRequest request,
      StreamObserver<RegisterTaskManagerResponse> responseObserver) {
    TaskManagerRegistration registration;
    try {
      registration = ClusterMessages.fromProto(request);
    } catch (IllegalArgumentException malformed) {
      LOG.warn("Refused a malformed TaskManager registration: {}", malformed.getMessage());
      reply(
          CompletableFuture.completedFuture(RegistrationResponse.refused(malformed.getMessage())),
          ClusterMessages::toProto,
          responseObserver);
      return;
    }
    reply(registrar.registerTaskManager(registration), ClusterMessages::toProto, responseObserver);
  }

  @Override
  public void heartbeat(
      TaskManagerHeartbeat request, StreamObserver<HeartbeatResponse> responseObserver) {
    HeartbeatReport heartbeat;
    try {
      heartbeat = ClusterMessages.fromProto(request);
    } catch (IllegalArgumentException malformed) {
      responseObserver.onError(
          Status.INVALID_ARGUMENT
              .withDescription("malformed heartbeat: " + malformed.getMessage())
              .asRuntimeException());
      return;
    }
    reply(registrar.heartbeat(heartbeat), ClusterMessages::toProto, responseObserver);
  }

  @Override
  public void updateTaskState(TaskStateUpdate request, StreamObserver<Ack> responseObserver) {
    answer(
        () -> ExecutionMessages.fromProto(request), taskStates::updateTaskState, responseObserver);
  }

  @Override
  public void acknowledgeCheckpoint(CheckpointAck request, StreamObserver<Ack> responseObserver) {
    answer(
        () -> CheckpointMessages.fromProto(request),
        taskStates::acknowledgeCheckpoint,
        responseObserver);
  }

  @Override
  public void declineCheckpoint(CheckpointDecline request, StreamObserver<Ack> responseObserver) {
    answer(
        () -> CheckpointMessages.fromProto(request),
        taskStates::declineCheckpoint,
        responseObserver);
  }

  @Override
  public void notifyEndOfData(EndOfDataNotice request, StreamObserver<Ack> responseObserver) {
    answer(
        () -> CheckpointMessages.fromProto(request), taskStates::notifyEndOfData, responseObserver);
  }

  /** Reads a task's message and hands it on; a malformed one is refused with the reason. */
  private static <T> void answer(
      Supplier<T> read,
      Function<T, CompletableFuture<Acknowledgement>> receive,
      StreamObserver<Ack> observer) {
    T message;
    try {
      message = read.get();
    } catch (IllegalArgumentException malformed) {
      observer.onNext(ExecutionMessages.toProto(Acknowledgement.refused(malformed.getMessage())));
      observer.onCompleted();
      return;
    }
    reply(receive.apply(message), ExecutionMessages::toProto, observer);
  }

  /**
   * Streams the jar in {@value #BLOB_CHUNK_BYTES}-byte chunks, only as fast as the client reads
   * (gRPC's readiness), so a large jar is never buffered whole. The reading happens in gRPC's
   * callback executor, never on a component's main thread.
   */
  @Override
  public void downloadBlob(BlobRequest request, StreamObserver<BlobChunk> responseObserver) {
    String key = request.getBlobKey();
    if (!blobStore.contains(key)) {
      responseObserver.onError(
          Status.NOT_FOUND.withDescription("no blob with key '" + key + "'").asRuntimeException());
      return;
    }
    InputStream in;
    try {
      in = blobStore.open(key);
    } catch (IOException e) {
      LOG.warn("Cannot open blob {} for job {}", key, request.getJobId(), e);
      responseObserver.onError(
          Status.INTERNAL
              .withDescription("cannot read blob '" + key + "': " + e.getMessage())
              .asRuntimeException());
      return;
    }
    ServerCallStreamObserver<BlobChunk> out =
        (ServerCallStreamObserver<BlobChunk>) responseObserver;
    BlobPump pump = new BlobPump(key, in, out);
    out.setOnCancelHandler(pump::close);
    out.setOnReadyHandler(pump::pump);
  }

  private static <T, P> void reply(
      CompletableFuture<T> future, Function<T, P> toProto, StreamObserver<P> observer) {
    future.whenComplete(
        (value, error) -> {
          if (error != null) {
            Throwable cause = error instanceof CompletionException ? error.getCause() : error;
            if (cause instanceof RejectedExecutionException) {
              observer.onError(
                  Status.UNAVAILABLE
                      .withDescription("the JobManager is shutting down")
                      .asRuntimeException());
              return;
            }
            LOG.warn("RPC failed", cause);
            observer.onError(
                Status.INTERNAL.withDescription(String.valueOf(cause)).asRuntimeException());
          } else {
            observer.onNext(toProto.apply(value));
            observer.onCompleted();
          }
        });
  }

  /** Moves one blob's bytes to the client while it is ready for more. */
  private static final class BlobPump {
    private final String key;
    private final InputStream in;
    private final ServerCallStreamObserver<BlobChunk> out;
    private final byte[] buffer = new byte[BLOB_CHUNK_BYTES];
    private boolean done;

    BlobPump(String key, InputStream in, ServerCallStreamObserver<BlobChunk> out) {
      this.key = key;
      this.in = in;
      this.out = out;
    }

    // gRPC calls the ready and cancel handlers one at a time, so no locking is needed
    void pump() {
      try {
        while (!done && out.isReady()) {
          int n = in.readNBytes(buffer, 0, buffer.length);
          if (n > 0) {
            out.onNext(BlobChunk.newBuilder().setData(ByteString.copyFrom(buffer, 0, n)).build());
          }
          if (n < buffer.length) {
            close();
            out.onCompleted();
          }
        }
      } catch (IOException e) {
        LOG.warn("Reading blob {} failed; aborting the download", key, e);
        close();
        out.onError(
            Status.INTERNAL
                .withDescription("reading blob '" + key + "' failed: " + e.getMessage())
                .asRuntimeException());
      }
    }

    void close() {
      if (done) {
        return;
      }
      done = true;
      try {
        in.close();
      } catch (IOException e) {
        LOG.debug("Closing blob {} failed", key, e);
      }
    }
  }
}
