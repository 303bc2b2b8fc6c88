package io.baton.coordinator;

import io.baton.common.ids.TaskManagerId;
import io.baton.common.rpc.Ack;
import io.baton.common.rpc.Address;
import io.baton.common.rpc.CancelTaskRequest;
import io.baton.common.rpc.CheckpointAck;
import io.baton.common.rpc.CheckpointDecline;
import io.baton.common.rpc.CheckpointNotification;
import io.baton.common.rpc.EndOfDataNotice;
import io.baton.common.rpc.FreeSlotRequest;
import io.baton.common.rpc.HeartbeatResponse;
import io.baton.common.rpc.JobManagerServiceGrpc;
import io.baton.common.rpc.RegisterTaskManagerRequest;
import io.baton.common.rpc.RegisterTaskManagerResponse;
import io.baton.common.rpc.StateHandle;
import io.baton.common.rpc.SubmitTaskRequest;
import io.baton.common.rpc.TaskManagerHeartbeat;
import io.baton.common.rpc.TaskManagerServiceGrpc;
import io.baton.common.rpc.TaskMetrics;
import io.baton.common.rpc.TaskState;
import io.baton.common.rpc.TaskStateUpdate;
import io.baton.common.rpc.TriggerCheckpointRequest;
import io.baton.common.state.KeyGroups;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.zip.CRC32C;

/**
 * A TaskManager as the JobManager sees one: a real gRPC TaskManagerService on loopback that
 * registers, heartbeats and answers SubmitTask by reporting RUNNING and then what {@link #behavior}
 * says. It runs nothing; it records every request it received.
 *
 * <p>Checkpoints: a TriggerCheckpoint goes to {@link #onTrigger} (the test cluster passes it to
 * every fake, as barriers would reach every task); {@link #snapshot} then writes one small state
 * file per running task of the job into the checkpoint directory and acknowledges it with its
 * handle, or declines or ignores it as {@link #checkpointBehavior} says.
 */
public final class FakeTaskManager implements AutoCloseable {

  /** What a submitted task does after reporting RUNNING. */
  public enum Behavior {
    FINISH,
    RUN,
    FAIL
  }

  public final TaskManagerId id = TaskManagerId.random();
  public final List<SubmitTaskRequest> submitted = new CopyOnWriteArrayList<>();
  public final List<CancelTaskRequest> cancelled = new CopyOnWriteArrayList<>();
  public final List<FreeSlotRequest> freed = new CopyOnWriteArrayList<>();

  /** What the tasks do when a checkpoint reaches them. */
  public enum CheckpointBehavior {
    ACK,
    DECLINE,
    IGNORE
  }

  public final List<TriggerCheckpointRequest> triggers = new CopyOnWriteArrayList<>();
  public final List<CheckpointNotification> completed = new CopyOnWriteArrayList<>();
  public final List<CheckpointNotification> aborted = new CopyOnWriteArrayList<>();

  /** "jobId/checkpointId" of every checkpoint this TaskManager's tasks ignored. */
  public final java.util.Set<String> ignored = ConcurrentHashMap.newKeySet();

  public volatile CheckpointBehavior checkpointBehavior = CheckpointBehavior.ACK;
  private volatile Consumer<TriggerCheckpointRequest> onTrigger = this::snapshot;

  /** The fencing token of every request received, in order. */
  public final List<String> tokens = new CopyOnWriteArrayList<>();

  private volatile Function<SubmitTaskRequest, Behavior> behavior = r -> Behavior.FINISH;
  private final Map<String, SubmitTaskRequest> running = new ConcurrentHashMap<>();
  private final Server server;
  private final ManagedChannel jobManagerChannel;
  private final JobManagerServiceGrpc.JobManagerServiceBlockingStub jobManager;
  // reports leave in the order the tasks changed state
  private final ExecutorService reporter = Executors.newSingleThreadExecutor();
  private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
  private volatile boolean heartbeating = true;
  private volatile String registrationId;
  private volatile String fencingToken;

  public FakeTaskManager(int jobManagerPort) throws IOException {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(new Service())
            .build()
            .start();
    jobManagerChannel =
        ManagedChannelBuilder.forAddress("127.0.0.1", jobManagerPort).usePlaintext().build();
    jobManager = JobManagerServiceGrpc.newBlockingStub(jobManagerChannel);
  }

  public int port() {
    return server.getPort();
  }

  public FakeTaskManager behave(Function<SubmitTaskRequest, Behavior> behavior) {
    this.behavior = behavior;
    return this;
  }

  /** Registers with {@code slots} slots and starts heartbeating every {@code intervalMs}. */
  public RegisterTaskManagerResponse register(int slots, long intervalMs) {
    RegisterTaskManagerResponse response =
        stub()
            .registerTaskManager(
                RegisterTaskManagerRequest.newBuilder()
                    .setTaskManagerId(id.toString())
                    .setRpcAddress(Address.newBuilder().setHost("127.0.0.1").setPort(port()))
                    .setNumberOfSlots(slots)
                    .setCpuCores(2)
                    .setPhysicalMemoryBytes(4L << 30)
                    .build());
    registrationId = response.getRegistrationId();
    fencingToken = response.getFencingToken();
    heartbeats.scheduleAtFixedRate(this::heartbeat, 0, intervalMs, TimeUnit.MILLISECONDS);
    return response;
  }

  private JobManagerServiceGrpc.JobManagerServiceBlockingStub stub() {
    return jobManager.withDeadlineAfter(5, TimeUnit.SECONDS);
  }

  private void heartbeat() {
    if (!heartbeating) {
      return;
    }
    TaskManagerHeartbeat.Builder hb =
        TaskManagerHeartbeat.newBuilder()
            .setTaskManagerId(id.toString())
            .setRegistrationId(registrationId)
            .setHeapUsedBytes(64L << 20)
            .setHeapMaxBytes(512L << 20);
    for (String executionId : running.keySet()) {
      hb.addTaskMetrics(
          TaskMetrics.newBuilder()
              .setExecutionId(executionId)
              .setRecordsIn(10)
              .setRecordsOut(20)
              .setBytesIn(100)
              .setBytesOut(200));
    }
    try {
      HeartbeatResponse ignored = stub().heartbeat(hb.build());
    } catch (RuntimeException e) {
      // the JobManager may be gone at the end of a test
    }
  }

  public FakeTaskManager onTrigger(Consumer<TriggerCheckpointRequest> onTrigger) {
    this.onTrigger = onTrigger;
    return this;
  }

  /** Reports a running task FAILED, as if its code threw. */
  public void failTask(SubmitTaskRequest task) {
    if (running.remove(task.getExecutionId()) != null) {
      report(
          task.getJobId(),
          task.getExecutionId(),
          TaskState.FAILED,
          "java.lang.RuntimeException: failed on purpose in " + task.getVertexName());
    }
  }

  /** Reports a running task FINISHED, as a bounded source that ended. */
  public void finishTask(SubmitTaskRequest task) {
    if (running.remove(task.getExecutionId()) != null) {
      report(task.getJobId(), task.getExecutionId(), TaskState.FINISHED, "");
    }
  }

  /** The tasks running here now. */
  public List<SubmitTaskRequest> runningTasks() {
    return List.copyOf(running.values());
  }

  /**
   * Every running task of the checkpoint's job writes its state file into the checkpoint directory
   * and acknowledges (or declines or ignores, per {@link #checkpointBehavior}).
   */
  public void snapshot(TriggerCheckpointRequest trigger) {
    CheckpointBehavior behavior = checkpointBehavior;
    if (behavior == CheckpointBehavior.IGNORE) {
      ignored.add(trigger.getJobId() + "/" + trigger.getCheckpointId());
    }
    for (SubmitTaskRequest task : running.values()) {
      if (!task.getJobId().equals(trigger.getJobId())) {
        continue;
      }
      switch (behavior) {
        case IGNORE -> {}
        case DECLINE ->
            reporter.execute(
                () -> {
                  try {
                    stub()
                        .declineCheckpoint(
                            CheckpointDecline.newBuilder()
                                .setJobId(task.getJobId())
                                .setExecutionId(task.getExecutionId())
                                .setCheckpointId(trigger.getCheckpointId())
                                .setReason("state backend full in " + task.getVertexName())
                                .build());
                  } catch (RuntimeException e) {
                    // the JobManager may be gone at the end of a test
                  }
                });
        case ACK -> {
          StateHandle handle = writeState(trigger, task);
          reporter.execute(
              () -> {
                try {
                  stub()
                      .acknowledgeCheckpoint(
                          CheckpointAck.newBuilder()
                              .setJobId(task.getJobId())
                              .setExecutionId(task.getExecutionId())
                              .setCheckpointId(trigger.getCheckpointId())
                              .addState(handle)
                              .build());
                } catch (RuntimeException e) {
                  // the JobManager may be gone at the end of a test
                }
              });
        }
      }
    }
  }

  /** Tells the JobManager that source {@code task} emitted its last record; returns the answer. */
  public Ack endOfData(SubmitTaskRequest task) {
    return stub()
        .notifyEndOfData(
            EndOfDataNotice.newBuilder()
                .setJobId(task.getJobId())
                .setExecutionId(task.getExecutionId())
                .build());
  }

  /** Acknowledges a checkpoint for {@code task} at once, without state; returns the answer. */
  public Ack acknowledge(SubmitTaskRequest task, long checkpointId) {
    return stub()
        .acknowledgeCheckpoint(
            CheckpointAck.newBuilder()
                .setJobId(task.getJobId())
                .setExecutionId(task.getExecutionId())
                .setCheckpointId(checkpointId)
                .build());
  }

  /** Kind of state by the test job's vertex names: source, sink, else keyed. */
  public static String kindOf(String vertexName) {
    return switch (vertexName) {
      case "source" -> "source";
      case "sink" -> "sink";
      default -> "keyed";
    };
  }

  private static StateHandle writeState(TriggerCheckpointRequest trigger, SubmitTaskRequest task) {
    String kind = kindOf(task.getVertexName());
    int subtask = task.getSubtaskIndex();
    int first = KeyGroups.firstKeyGroup(subtask, task.getMaxParallelism(), task.getParallelism());
    int last = KeyGroups.lastKeyGroup(subtask, task.getMaxParallelism(), task.getParallelism());
    String dir = trigger.getCheckpointDir();
    URI file =
        URI.create(dir.endsWith("/") ? dir : dir + "/")
            .resolve(task.getVertexId() + "_" + subtask + "_0_" + kind);
    byte[] bytes =
        (task.getVertexName()
                + " subtask "
                + subtask
                + " at checkpoint "
                + trigger.getCheckpointId())
            .getBytes(StandardCharsets.UTF_8);
    try {
      Path path = Path.of(file);
      Files.createDirectories(path.getParent());
      Files.write(path, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    StateHandle.Builder handle =
        StateHandle.newBuilder()
            .setPath(file.toString())
            .setSizeBytes(bytes.length)
            .setChecksum(crc.getValue())
            .setKind(kind)
            .setOperatorUid(task.getVertexName() + "-uid")
            .setOperatorIndex(0)
            .setSubtaskIndex(subtask)
            .setParallelism(task.getParallelism());
    if (kind.equals("keyed")) {
      handle.setKeyGroupStart(first).setKeyGroupEnd(last);
    }
    return handle.build();
  }

  /** Falls silent, as a TaskManager whose process froze. */
  public void stopHeartbeats() {
    heartbeating = false;
  }

  public List<SubmitTaskRequest> submittedInAttempt(int attempt) {
    return submitted.stream().filter(r -> r.getAttemptNumber() == attempt).toList();
  }

  private void report(String jobId, String executionId, TaskState state, String cause) {
    reporter.execute(
        () -> {
          try {
            stub()
                .updateTaskState(
                    TaskStateUpdate.newBuilder()
                        .setJobId(jobId)
                        .setExecutionId(executionId)
                        .setState(state)
                        .setFailureCause(cause)
                        .setTaskManagerId(id.toString())
                        .build());
          } catch (RuntimeException e) {
            // the JobManager may be gone at the end of a test
          }
        });
  }

  private Ack checkToken(String token) {
    tokens.add(token);
    if (!token.equals(fencingToken)) {
      return Ack.newBuilder().setOk(false).setError("wrong fencing token " + token).build();
    }
    return Ack.newBuilder().setOk(true).build();
  }

  @Override
  public void close() {
    heartbeats.shutdownNow();
    reporter.shutdownNow();
    server.shutdownNow();
    jobManagerChannel.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
      jobManagerChannel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private final class Service extends TaskManagerServiceGrpc.TaskManagerServiceImplBase {
    @Override
    public void submitTask(SubmitTaskRequest request, StreamObserver<Ack> out) {
      submitted.add(request);
      Ack ack = checkToken(request.getFencingToken());
      out.onNext(ack);
      out.onCompleted();
      if (!ack.getOk()) {
        return;
      }
      String job = request.getJobId();
      String execution = request.getExecutionId();
      running.put(execution, request);
      report(job, execution, TaskState.RUNNING, "");
      switch (behavior.apply(request)) {
        case FINISH -> {
          running.remove(execution);
          report(job, execution, TaskState.FINISHED, "");
        }
        case FAIL -> {
          running.remove(execution);
          report(
              job,
              execution,
              TaskState.FAILED,
              "java.lang.RuntimeException: boom in "
                  + request.getVertexName()
                  + " subtask "
                  + request.getSubtaskIndex()
                  + "\n\tat io.baton.test.Boom.run(Boom.java:1)");
        }
        case RUN -> {}
      }
    }

    @Override
    public void cancelTask(CancelTaskRequest request, StreamObserver<Ack> out) {
      cancelled.add(request);
      Ack ack = checkToken(request.getFencingToken());
      if (ack.getOk() && running.remove(request.getExecutionId()) != null) {
        report(request.getJobId(), request.getExecutionId(), TaskState.CANCELED, "");
      } else if (ack.getOk()) {
        ack = Ack.newBuilder().setOk(false).setError("no such task").build();
      }
      out.onNext(ack);
      out.onCompleted();
    }

    @Override
    public void triggerCheckpoint(TriggerCheckpointRequest request, StreamObserver<Ack> out) {
      triggers.add(request);
      Ack ack = checkToken(request.getFencingToken());
      out.onNext(ack);
      out.onCompleted();
      if (ack.getOk()) {
        onTrigger.accept(request);
      }
    }

    @Override
    public void notifyCheckpointComplete(CheckpointNotification request, StreamObserver<Ack> out) {
      completed.add(request);
      out.onNext(checkToken(request.getFencingToken()));
      out.onCompleted();
    }

    @Override
    public void notifyCheckpointAborted(CheckpointNotification request, StreamObserver<Ack> out) {
      aborted.add(request);
      out.onNext(checkToken(request.getFencingToken()));
      out.onCompleted();
    }

    @Override
    public void freeSlot(FreeSlotRequest request, StreamObserver<Ack> out) {
      freed.add(request);
      out.onNext(checkToken(request.getFencingToken()));
      out.onCompleted();
    }
  }
}
