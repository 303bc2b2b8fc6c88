package io.baton.taskmanager;

import com.google.protobuf.ByteString;
import io.baton.common.rpc.Ack;
import io.baton.common.rpc.BlobChunk;
import io.baton.common.rpc.BlobRequest;
import io.baton.common.rpc.CheckpointAck;
import io.baton.common.rpc.CheckpointDecline;
import io.baton.common.rpc.EndOfDataNotice;
import io.baton.common.rpc.HeartbeatResponse;
import io.baton.common.rpc.JobManagerServiceGrpc;
import io.baton.common.rpc.RegisterTaskManagerRequest;
import io.baton.common.rpc.RegisterTaskManagerResponse;
import io.baton.common.rpc.TaskManagerHeartbeat;
import io.baton.common.rpc.TaskState;
import io.baton.common.rpc.TaskStateUpdate;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A JobManagerService on loopback that records what TaskManagers send and answers as told. */
final class FakeJobManager implements AutoCloseable {

  /** A heartbeat and when it arrived. */
  record ReceivedHeartbeat(TaskManagerHeartbeat heartbeat, long receivedNanos) {}

  final int port;
  final List<RegisterTaskManagerRequest> registrations = new CopyOnWriteArrayList<>();
  final List<ReceivedHeartbeat> heartbeats = new CopyOnWriteArrayList<>();
  final List<TaskStateUpdate> stateUpdates = new CopyOnWriteArrayList<>();
  final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
  final List<CheckpointAck> checkpointAcks = new CopyOnWriteArrayList<>();
  final List<CheckpointDecline> checkpointDeclines = new CopyOnWriteArrayList<>();
  final List<EndOfDataNotice> endsOfData = new CopyOnWriteArrayList<>();
  final AtomicInteger blobDownloads = new AtomicInteger();

  volatile String fencingToken = UUID.randomUUID().toString();
  volatile long heartbeatIntervalMs;
  volatile long heartbeatTimeoutMs;

  /** Heartbeats are received but never answered, as by a JobManager that hangs. */
  volatile boolean stallHeartbeats;

  private volatile String registrationId = "";
  private volatile boolean knowsTaskManager;
  private Server server;

  private FakeJobManager(int port) {
    this.port = port;
  }

  /** A fake on a free port, not started. */
  static FakeJobManager onFreePort() {
    return new FakeJobManager(freePort());
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts answering; a JobManager that starts (again) knows no TaskManager. */
  synchronized FakeJobManager start() {
    knowsTaskManager = false;
    registrationId = "";
    try {
      server =
          NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
              .addService(new Service())
              .build()
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** Stops answering, as a crashed JobManager would. */
  synchronized void stop() {
    if (server != null) {
      server.shutdownNow();
      try {
        server.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      server = null;
    }
  }

  /** Heartbeats are answered with known=false until the TaskManager registers again. */
  void forgetTaskManagers() {
    knowsTaskManager = false;
  }

  String registrationId() {
    return registrationId;
  }

  List<TaskState> statesOf(String executionId) {
    return stateUpdates.stream()
        .filter(u -> u.getExecutionId().equals(executionId))
        .map(TaskStateUpdate::getState)
        .toList();
  }

  @Override
  public void close() {
    stop();
  }

  private final class Service extends JobManagerServiceGrpc.JobManagerServiceImplBase {
    @Override
    public void registerTaskManager(
        RegisterTaskManagerRequest request, StreamObserver<RegisterTaskManagerResponse> responses) {
      registrations.add(request);
      registrationId = UUID.randomUUID().toString();
      knowsTaskManager = true;
      stallHeartbeats = false;
      responses.onNext(
          RegisterTaskManagerResponse.newBuilder()
              .setAccepted(true)
              .setFencingToken(fencingToken)
              .setRegistrationId(registrationId)
              .setHeartbeatIntervalMs(heartbeatIntervalMs)
              .setHeartbeatTimeoutMs(heartbeatTimeoutMs)
              .build());
      responses.onCompleted();
    }

    @Override
    public void heartbeat(
        TaskManagerHeartbeat request, StreamObserver<HeartbeatResponse> responses) {
      heartbeats.add(new ReceivedHeartbeat(request, System.nanoTime()));
      if (stallHeartbeats) {
        return;
      }
      boolean known = knowsTaskManager && request.getRegistrationId().equals(registrationId);
      responses.onNext(
          HeartbeatResponse.newBuilder().setKnown(known).setFencingToken(fencingToken).build());
      responses.onCompleted();
    }

    @Override
    public void updateTaskState(TaskStateUpdate request, StreamObserver<Ack> responses) {
      stateUpdates.add(request);
      responses.onNext(Ack.newBuilder().setOk(true).build());
      responses.onCompleted();
    }

    @Override
    public void acknowledgeCheckpoint(CheckpointAck request, StreamObserver<Ack> responses) {
      checkpointAcks.add(request);
      responses.onNext(Ack.newBuilder().setOk(true).build());
      responses.onCompleted();
    }

    @Override
    public void declineCheckpoint(CheckpointDecline request, StreamObserver<Ack> responses) {
      checkpointDeclines.add(request);
      responses.onNext(Ack.newBuilder().setOk(true).build());
      responses.onCompleted();
    }

    @Override
    public void notifyEndOfData(EndOfDataNotice request, StreamObserver<Ack> responses) {
      endsOfData.add(request);
      responses.onNext(Ack.newBuilder().setOk(true).build());
      responses.onCompleted();
    }

    @Override
    public void downloadBlob(BlobRequest request, StreamObserver<BlobChunk> responses) {
      byte[] bytes = blobs.get(request.getBlobKey());
      if (bytes == null) {
        responses.onError(
            Status.NOT_FOUND
                .withDescription("no blob " + request.getBlobKey())
                .asRuntimeException());
        return;
      }
      blobDownloads.incrementAndGet();
      // several chunks, as a real JobManager sends large jars
      int chunk = 1024;
      for (int offset = 0; offset < bytes.length; offset += chunk) {
        responses.onNext(
            BlobChunk.newBuilder()
                .setData(ByteString.copyFrom(bytes, offset, Math.min(chunk, bytes.length - offset)))
                .build());
      }
      responses.onCompleted();
    }
  }
}
