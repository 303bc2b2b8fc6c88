package io.baton.it;

import io.baton.common.ids.TaskManagerId;
import io.baton.common.rpc.Ack;
import io.baton.common.rpc.Address;
import io.baton.common.rpc.CancelTaskRequest;
import io.baton.common.rpc.CheckpointAck;
import io.baton.common.rpc.CheckpointNotification;
import io.baton.common.rpc.FreeSlotRequest;
import io.baton.common.rpc.HeartbeatResponse;
import io.baton.common.rpc.JobManagerServiceGrpc;
import io.baton.common.rpc.JobManagerServiceGrpc.JobManagerServiceFutureStub;
import io.baton.common.rpc.RegisterTaskManagerRequest;
import io.baton.common.rpc.RegisterTaskManagerResponse;
import io.baton.common.rpc.SlotStatus;
import io.baton.common.rpc.SubmitTaskRequest;
import io.baton.common.rpc.TaskManagerHeartbeat;
import io.baton.common.rpc.TaskManagerServiceGrpc;
import io.baton.common.rpc.TaskMetrics;
import io.baton.common.rpc.TaskState;
import io.baton.common.rpc.TaskStateUpdate;
import io.baton.common.rpc.TriggerCheckpointRequest;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many Baton TaskManagers in one JVM, as the JobManager sees them over its real gRPC protocol: each
 * has its own id, its own TaskManagerService server on a loopback port of its own (the address the
 * JobManager calls back on) and its own channel to the JobManager; it registers, offers its slots,
 * heartbeats at the interval the registration answer names with a slot report and heap figures as a
 * TaskExecutor does, registers again when the JobManager forgot it or stayed silent for the
 * heartbeat timeout, and answers the JobManager's commands checking the fencing token. All of them
 * share one Netty event loop group, a small RPC executor and one main thread (which owns every
 * simulated TaskManager's state), so thousands of them fit in one JVM: the TaskManager side of
 * {@link FlinkHeartbeatsBenchmark}.
 *
 * <p>By default they run no task: SubmitTask is declined. With {@code --accept-tasks} a submitted
 * task takes its slot (as a TaskExecutor's slot table does: a slot held by another allocation
 * refuses it), is acknowledged and reported RUNNING through UpdateTaskState, in order per task and
 * retried until the heartbeat timeout as the TaskExecutor's state reporter does; it then appears in
 * every heartbeat (its slot's allocation and job, and task metrics that stay zero, since nothing
 * runs). CancelTask and FreeSlot end it with CANCELED; a checkpoint trigger is answered and
 * acknowledged at once with no state (a task that holds none). A new registration with the
 * JobManager cancels every task, as the JobManager released their slots.
 *
 * <p>Usage: {@code SimulatedTaskManagers --jobmanager <host:port> --count <n> [--slots <s>]
 * [--accept-tasks true]}. Prints {@code registered <n> TaskManagers} once every one was accepted,
 * then runs until killed.
 */
final class SimulatedTaskManagers {
  private static final Logger LOG = LoggerFactory.getLogger(SimulatedTaskManagers.class);
  private static final Duration CALL_DEADLINE = Duration.ofSeconds(10);
  private static final Duration RETRY_DELAY = Duration.ofMillis(500);
  // a TaskExecutor retries a state update for up to the heartbeat timeout; Flink's default
  private static final Duration REPORT_RETRY_FOR = Duration.ofSeconds(50);

  private final String jobManagerHost;
  private final int jobManagerPort;
  private final int slots;
  private final boolean acceptTasks;
  private final EventLoopGroup eventLoop = new NioEventLoopGroup(2);
  private final ExecutorService rpcExecutor = Executors.newFixedThreadPool(2);

  /** The main thread of every simulated TaskManager: their state is touched only on it. */
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

  private CountDownLatch registered;

  private SimulatedTaskManagers(
      String jobManagerHost, int jobManagerPort, int slots, boolean acceptTasks) {
    this.jobManagerHost = jobManagerHost;
    this.jobManagerPort = jobManagerPort;
    this.slots = slots;
    this.acceptTasks = acceptTasks;
  }

  public static void main(String[] args) throws Exception {
    String jobManager = null;
    int count = 200;
    int slots = 1;
    boolean acceptTasks = false;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--jobmanager" -> jobManager = args[i + 1];
        case "--count" -> count = Integer.parseInt(args[i + 1]);
        case "--slots" -> slots = Integer.parseInt(args[i + 1]);
        case "--accept-tasks" -> acceptTasks = Boolean.parseBoolean(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
      }
    }
    if (jobManager == null || !jobManager.contains(":") || count < 1 || slots < 1) {
      throw new IllegalArgumentException(
          "usage: --jobmanager <host:port> --count <n ≥ 1> [--slots <s ≥ 1>]"
              + " [--accept-tasks true|false]");
    }
    int colon = jobManager.lastIndexOf(':');
    SimulatedTaskManagers simulator =
        new SimulatedTaskManagers(
            jobManager.substring(0, colon),
            Integer.parseInt(jobManager.substring(colon + 1)),
            slots,
            acceptTasks);
    simulator.start(count);
    new CountDownLatch(1).await();
  }

  private void start(int count) throws Exception {
    registered = new CountDownLatch(count);
    List<SimulatedTaskManager> all = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      SimulatedTaskManager tm = new SimulatedTaskManager();
      tm.startServer();
      all.add(tm);
    }
    all.forEach(SimulatedTaskManager::register);
    if (!registered.await(5, TimeUnit.MINUTES)) {
      LOG.error(
          "Only {} of {} TaskManagers registered within 5 min",
          count - registered.getCount(),
          count);
      System.exit(1);
    }
    System.out.println("registered " + count + " TaskManagers");
    System.out.flush();
  }

  /** A task a simulated TaskManager took (--accept-tasks): what its reports and slot need. */
  private record AcceptedTask(String jobId, String executionId, String allocationId) {}

  /** One TaskManager: its server, its channel to the JobManager, its registration. */
  private final class SimulatedTaskManager
      extends TaskManagerServiceGrpc.TaskManagerServiceImplBase {
    private final TaskManagerId id = TaskManagerId.random();
    private final ManagedChannel channel =
        NettyChannelBuilder.forAddress(jobManagerHost, jobManagerPort)
            .usePlaintext()
            .eventLoopGroup(eventLoop)
            .channelType(NioSocketChannel.class)
            .executor(rpcExecutor)
            .build();
    private final JobManagerServiceFutureStub jobManager =
        JobManagerServiceGrpc.newFutureStub(channel);
    private Server server;
    private Address address;
    // written on the timer thread only (RPC results hop onto it)
    private volatile String fencingToken;
    private String registrationId;
    private long lastAnsweredNanos;
    private long epoch;
    private boolean everRegistered;
    // --accept-tasks: which allocation holds each slot, and the tasks by execution id
    private final SlotStatus[] slotHolders = new SlotStatus[slots];
    private final Map<String, AcceptedTask> tasks = new LinkedHashMap<>();
    // the last state update queued per task, so a task's updates go out in order
    private final Map<String, CompletableFuture<Void>> reportTails = new LinkedHashMap<>();

    void startServer() throws Exception {
      server =
          NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
              .bossEventLoopGroup(eventLoop)
              .workerEventLoopGroup(eventLoop)
              .channelType(NioServerSocketChannel.class)
              .executor(rpcExecutor)
              .addService(this)
              .build()
              .start();
      address = Address.newBuilder().setHost("127.0.0.1").setPort(server.getPort()).build();
    }

    void register() {
      timers.execute(this::attemptRegistration);
    }

    private void attemptRegistration() {
      long attempt = ++epoch;
      registrationId = null;
      // a registration releases every slot the JobManager had here: their tasks end
      for (AcceptedTask task : List.copyOf(tasks.values())) {
        endTask(task, "the JobManager registered this TaskManager afresh");
      }
      Arrays.fill(slotHolders, null);
      RegisterTaskManagerRequest request =
          RegisterTaskManagerRequest.newBuilder()
              .setTaskManagerId(id.value())
              .setRpcAddress(address)
              .setNumberOfSlots(slots)
              .setPhysicalMemoryBytes(Runtime.getRuntime().maxMemory())
              .setCpuCores(1)
              .build();
      var call =
          jobManager
              .withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
              .registerTaskManager(request);
      call.addListener(
          () -> {
            RegisterTaskManagerResponse response;
            try {
              response = call.get();
            } catch (Exception e) {
              retryRegistration(attempt, e.toString());
              return;
            }
            if (!response.getAccepted()) {
              retryRegistration(attempt, "declined: " + response.getError());
              return;
            }
            onRegistered(attempt, response);
          },
          timers);
    }

    private void retryRegistration(long attempt, String why) {
      if (attempt != epoch) {
        return;
      }
      LOG.debug("Registration of {} failed ({}); retrying", id, why);
      timers.schedule(this::attemptRegistration, RETRY_DELAY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void onRegistered(long attempt, RegisterTaskManagerResponse response) {
      if (attempt != epoch) {
        return;
      }
      fencingToken = response.getFencingToken();
      registrationId = response.getRegistrationId();
      lastAnsweredNanos = System.nanoTime();
      if (!everRegistered) {
        everRegistered = true;
        registered.countDown();
      }
      long interval = response.getHeartbeatIntervalMs();
      long timeout = response.getHeartbeatTimeoutMs();
      // the first one at once (it confirms the registration), the next ones at the interval
      heartbeat(attempt, interval, timeout);
    }

    private void heartbeat(long attempt, long intervalMs, long timeoutMs) {
      if (attempt != epoch) {
        return;
      }
      if (System.nanoTime() - lastAnsweredNanos > TimeUnit.MILLISECONDS.toNanos(timeoutMs)) {
        LOG.warn(
            "TaskManager {}: no heartbeat answered for {} ms; registering again", id, timeoutMs);
        attemptRegistration();
        return;
      }
      Runtime runtime = Runtime.getRuntime();
      TaskManagerHeartbeat.Builder payload =
          TaskManagerHeartbeat.newBuilder()
              .setTaskManagerId(id.value())
              .setRegistrationId(registrationId)
              .setHeapUsedBytes(runtime.totalMemory() - runtime.freeMemory())
              .setHeapMaxBytes(runtime.maxMemory());
      for (int slot = 0; slot < slots; slot++) {
        payload.addSlots(
            slotHolders[slot] == null
                ? SlotStatus.newBuilder().setSlotIndex(slot).build()
                : slotHolders[slot]);
      }
      for (String executionId : tasks.keySet()) {
        payload.addTaskMetrics(TaskMetrics.newBuilder().setExecutionId(executionId));
      }
      var call =
          jobManager
              .withDeadlineAfter(
                  Math.min(timeoutMs, CALL_DEADLINE.toMillis()), TimeUnit.MILLISECONDS)
              .heartbeat(payload.build());
      call.addListener(
          () -> {
            if (attempt != epoch) {
              return;
            }
            HeartbeatResponse response;
            try {
              response = call.get();
            } catch (Exception e) {
              LOG.debug("Heartbeat of {} failed: {}", id, e.toString());
              scheduleHeartbeat(attempt, intervalMs, timeoutMs);
              return;
            }
            if (!response.getKnown()
                || (!response.getFencingToken().isEmpty()
                    && !response.getFencingToken().equals(fencingToken))) {
              LOG.info("TaskManager {}: the JobManager forgot it; registering again", id);
              attemptRegistration();
              return;
            }
            lastAnsweredNanos = System.nanoTime();
            scheduleHeartbeat(attempt, intervalMs, timeoutMs);
          },
          timers);
    }

    private void scheduleHeartbeat(long attempt, long intervalMs, long timeoutMs) {
      timers.schedule(
          () -> heartbeat(attempt, intervalMs, timeoutMs), intervalMs, TimeUnit.MILLISECONDS);
    }

    // ---------------------------------------------------------------- what the JobManager calls

    private Ack fenced(String token) {
      String current = fencingToken;
      if (current == null || !current.equals(token)) {
        return Ack.newBuilder()
            .setOk(false)
            .setError("fencing token " + token + " is not the current JobManager's " + current)
            .build();
      }
      return Ack.newBuilder().setOk(true).build();
    }

    private static void answer(Ack ack, StreamObserver<Ack> observer) {
      observer.onNext(ack);
      observer.onCompleted();
    }

    @Override
    public void submitTask(SubmitTaskRequest request, StreamObserver<Ack> observer) {
      if (!acceptTasks) {
        Ack fenced = fenced(request.getFencingToken());
        answer(
            fenced.getOk()
                ? Ack.newBuilder()
                    .setOk(false)
                    .setError("simulated TaskManager " + id + " runs no tasks")
                    .build()
                : fenced,
            observer);
        return;
      }
      onMainThread(request.getFencingToken(), observer, () -> acceptTask(request));
    }

    @Override
    public void cancelTask(CancelTaskRequest request, StreamObserver<Ack> observer) {
      onMainThread(
          request.getFencingToken(),
          observer,
          () -> {
            AcceptedTask task = tasks.get(request.getExecutionId());
            if (task != null) {
              endTask(task, "the JobManager cancelled it");
            }
            return ok();
          });
    }

    @Override
    public void freeSlot(FreeSlotRequest request, StreamObserver<Ack> observer) {
      onMainThread(
          request.getFencingToken(),
          observer,
          () -> {
            for (AcceptedTask task : List.copyOf(tasks.values())) {
              if (task.allocationId().equals(request.getAllocationId())) {
                endTask(task, "its slot was freed");
              }
            }
            for (int slot = 0; slot < slots; slot++) {
              if (slotHolders[slot] != null
                  && slotHolders[slot].getAllocationId().equals(request.getAllocationId())) {
                slotHolders[slot] = null;
              }
            }
            return ok();
          });
    }

    @Override
    public void triggerCheckpoint(TriggerCheckpointRequest request, StreamObserver<Ack> observer) {
      onMainThread(
          request.getFencingToken(),
          observer,
          () -> {
            if (!tasks.containsKey(request.getExecutionId())) {
              return refused("execution " + request.getExecutionId() + " is not running here");
            }
            // a task that holds no state: its snapshot is empty and done at once
            CheckpointAck ack =
                CheckpointAck.newBuilder()
                    .setJobId(request.getJobId())
                    .setExecutionId(request.getExecutionId())
                    .setCheckpointId(request.getCheckpointId())
                    .build();
            jobManager
                .withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                .acknowledgeCheckpoint(ack);
            return ok();
          });
    }

    @Override
    public void notifyCheckpointComplete(
        CheckpointNotification request, StreamObserver<Ack> observer) {
      answer(fenced(request.getFencingToken()), observer);
    }

    @Override
    public void notifyCheckpointAborted(
        CheckpointNotification request, StreamObserver<Ack> observer) {
      answer(fenced(request.getFencingToken()), observer);
    }

    // ---------------------------------------------------------------- tasks (--accept-tasks)

    /**
     * Runs a command of the JobManager on the main thread once its fencing token proved it comes
     * from the JobManager this TaskManager is registered with, and answers with its result.
     */
    private void onMainThread(
        String fencingToken, StreamObserver<Ack> observer, Supplier<Ack> command) {
      timers.execute(
          () -> {
            Ack fenced = fenced(fencingToken);
            answer(fenced.getOk() ? command.get() : fenced, observer);
          });
    }

    private Ack acceptTask(SubmitTaskRequest request) {
      String executionId = request.getExecutionId();
      if (tasks.containsKey(executionId)) {
        return ok();
      }
      int index = request.getSlotIndex();
      if (index < 0 || index >= slots) {
        return refused("rejected: slot index " + index + " is out of range (" + slots + " slots)");
      }
      SlotStatus holder = slotHolders[index];
      if (holder != null && !holder.getAllocationId().equals(request.getAllocationId())) {
        return refused(
            "rejected: slot " + index + " is held by allocation " + holder.getAllocationId());
      }
      slotHolders[index] =
          SlotStatus.newBuilder()
              .setSlotIndex(index)
              .setAllocationId(request.getAllocationId())
              .setJobId(request.getJobId())
              .build();
      AcceptedTask task =
          new AcceptedTask(request.getJobId(), executionId, request.getAllocationId());
      tasks.put(executionId, task);
      // the answer goes out first, as a TaskExecutor answers before its task thread runs
      timers.execute(() -> report(task, TaskState.RUNNING));
      return ok();
    }

    /** Forgets a task and reports it CANCELED with its (zero) counters. */
    private void endTask(AcceptedTask task, String why) {
      if (tasks.remove(task.executionId()) == null) {
        return;
      }
      LOG.debug("TaskManager {}: execution {} ends: {}", id, task.executionId(), why);
      report(task, TaskState.CANCELED);
    }

    /** Sends a task's state once its earlier states were sent or given up. */
    private void report(AcceptedTask task, TaskState state) {
      TaskStateUpdate.Builder update =
          TaskStateUpdate.newBuilder()
              .setJobId(task.jobId())
              .setExecutionId(task.executionId())
              .setState(state)
              .setTaskManagerId(id.value());
      if (state != TaskState.RUNNING) {
        update.setFinalMetrics(TaskMetrics.newBuilder().setExecutionId(task.executionId()));
      }
      String executionId = task.executionId();
      CompletableFuture<Void> previous =
          reportTails.getOrDefault(executionId, CompletableFuture.completedFuture(null));
      CompletableFuture<Void> sent = new CompletableFuture<>();
      reportTails.put(executionId, sent);
      long giveUpAt = System.nanoTime() + REPORT_RETRY_FOR.toNanos();
      previous.whenCompleteAsync(
          (ignored, error) -> sendUpdate(update.build(), sent, giveUpAt), timers);
      sent.whenCompleteAsync((ignored, error) -> reportTails.remove(executionId, sent), timers);
    }

    private void sendUpdate(TaskStateUpdate update, CompletableFuture<Void> sent, long giveUpAt) {
      var call =
          jobManager
              .withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
              .updateTaskState(update);
      call.addListener(
          () -> {
            try {
              Ack ack = call.get();
              if (!ack.getOk()) {
                LOG.warn(
                    "TaskManager {}: the JobManager refused state {} of execution {}: {}",
                    id,
                    update.getState(),
                    update.getExecutionId(),
                    ack.getError());
              }
              sent.complete(null);
            } catch (Exception e) {
              if (System.nanoTime() + RETRY_DELAY.toNanos() >= giveUpAt) {
                LOG.warn(
                    "TaskManager {}: could not report state {} of execution {}: {}; giving up",
                    id,
                    update.getState(),
                    update.getExecutionId(),
                    e.toString());
                sent.complete(null);
                return;
              }
              timers.schedule(
                  () -> sendUpdate(update, sent, giveUpAt),
                  RETRY_DELAY.toMillis(),
                  TimeUnit.MILLISECONDS);
            }
          },
          timers);
    }

    private static Ack ok() {
      return Ack.newBuilder().setOk(true).build();
    }

    private static Ack refused(String error) {
      return Ack.newBuilder().setOk(false).setError(error).build();
    }
  }
}
