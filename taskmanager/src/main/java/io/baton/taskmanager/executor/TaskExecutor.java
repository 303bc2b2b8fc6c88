package io.baton.taskmanager.executor;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import io.baton.common.config.Configuration;
import io.baton.common.config.HeartbeatOptions;
import io.baton.common.config.JobManagerOptions;
import io.baton.common.config.TaskManagerOptions;
import io.baton.common.ids.AllocationId;
import io.baton.common.ids.ExecutionId;
import io.baton.common.ids.JobId;
import io.baton.common.ids.TaskManagerId;
import io.baton.common.rpc.Ack;
import io.baton.common.rpc.Address;
import io.baton.common.rpc.CancelTaskRequest;
import io.baton.common.rpc.CheckpointNotification;
import io.baton.common.rpc.FreeSlotRequest;
import io.baton.common.rpc.RegisterTaskManagerRequest;
import io.baton.common.rpc.SubmitTaskRequest;
import io.baton.common.rpc.TaskManagerHeartbeat;
import io.baton.common.rpc.TaskMetrics;
import io.baton.common.rpc.TaskState;
import io.baton.common.rpc.TriggerCheckpointRequest;
import io.baton.storage.FileStores;
import io.baton.taskmanager.network.NetworkEnvironment;
import io.baton.taskmanager.task.CheckpointResponder;
import io.baton.taskmanager.task.TaskEnvironment;
import io.baton.taskmanager.task.TaskListener;
import io.grpc.BindableService;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TaskManager's control plane: registers and heartbeats with the JobManager, accepts tasks into
 * slots, runs them with the job's class loader and reports their states. All its state lives on one
 * main thread; RPC handlers, task callbacks and JobManager answers hop onto it.
 */
public final class TaskExecutor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TaskExecutor.class);
  private static final Duration BLOB_DOWNLOAD_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration REPORT_DRAIN_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration MIN_WAIT = Duration.ofMillis(500);
  private static final Duration CHECKPOINT_ANSWER_DEADLINE = Duration.ofSeconds(10);
  private static final int CHECKPOINT_ANSWER_ATTEMPTS = 3;
  private static final Duration CHECKPOINT_ANSWER_RETRY_PAUSE = Duration.ofMillis(200);
  private static final Set<TaskState> REPORTED =
      EnumSet.of(TaskState.RUNNING, TaskState.FINISHED, TaskState.CANCELED, TaskState.FAILED);
  private static final Set<TaskState> TERMINAL =
      EnumSet.of(TaskState.FINISHED, TaskState.CANCELED, TaskState.FAILED);

  /** A task on this TaskManager and the slot it runs in. */
  private record RunningTask(
      TaskHandle handle, JobId jobId, SlotTable.Allocation allocation, String name) {}

  private final Configuration config;
  private final TaskManagerId id;
  private final NetworkEnvironment network;
  private final TaskFactory taskFactory;
  private final ScheduledExecutorService mainThread;

  /** Runs on the main thread; drops the work once the TaskExecutor has shut down. */
  private final Executor onMainThread;

  private final ExecutorService ioExecutor;
  private final JobManagerGateway jobManager;
  private final FileStores fileStores;
  private final CheckpointResponder checkpointResponder;
  private final JobManagerLink link;
  private final TaskStateReporter reporter;
  private final JobLibraries libraries;
  private final SlotTable slots;
  private final Map<ExecutionId, RunningTask> running = new HashMap<>();

  /**
   * Tasks declared FAILED because they did not stop after cancel; their own reports are dropped.
   */
  private final Set<ExecutionId> abandoned = new HashSet<>();

  private final CompletableFuture<String> fatalError = new CompletableFuture<>();
  private final TaskManagerRpcService rpcService;

  private Address advertisedAddress;

  /** The fencing token of the JobManager this TaskManager last registered with. */
  private String fencingToken;

  /**
   * @param workDir this TaskManager's scratch directory; job jars go to {@code workDir/blobs}
   */
  public TaskExecutor(
      Configuration config,
      TaskManagerId id,
      NetworkEnvironment network,
      TaskFactory taskFactory,
      Path workDir) {
    this.config = config;
    this.id = id;
    this.network = network;
    this.taskFactory = taskFactory;
    this.slots = new SlotTable(config.get(TaskManagerOptions.NUM_TASK_SLOTS));
    ScheduledThreadPoolExecutor main =
        new ScheduledThreadPoolExecutor(
            1,
            new ThreadFactoryBuilder()
                .setNameFormat("baton-tm-main-" + id.value().substring(0, 8))
                .setDaemon(true)
                .build());
    // timers (heartbeats, retries, cancellation watchdogs) die with the TaskExecutor
    main.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    main.setRemoveOnCancelPolicy(true);
    this.mainThread = main;
    this.ioExecutor =
        Executors.newCachedThreadPool(
            new ThreadFactoryBuilder()
                .setNameFormat("baton-tm-io-" + id.value().substring(0, 8) + "-%d")
                .setDaemon(true)
                .build());
    this.onMainThread =
        runnable -> {
          try {
            mainThread.execute(runnable);
          } catch (RejectedExecutionException shutDown) {
            LOG.debug("TaskExecutor {} has shut down; dropping {}", id, runnable);
          }
        };
    LongSupplier nanoClock = System::nanoTime;
    this.jobManager =
        new JobManagerGateway(
            config.get(JobManagerOptions.ADDRESS), config.get(JobManagerOptions.PORT));
    this.link =
        new JobManagerLink(
            jobManager,
            mainThread,
            new LinkOwner(),
            config.get(TaskManagerOptions.REGISTRATION_TIMEOUT),
            config.get(HeartbeatOptions.INTERVAL),
            config.get(HeartbeatOptions.TIMEOUT),
            nanoClock);
    this.fileStores = new FileStores(config);
    this.checkpointResponder =
        new JobManagerCheckpointResponder(
            jobManager,
            mainThread,
            CHECKPOINT_ANSWER_DEADLINE,
            CHECKPOINT_ANSWER_ATTEMPTS,
            CHECKPOINT_ANSWER_RETRY_PAUSE);
    this.reporter =
        new TaskStateReporter(
            jobManager, mainThread, id, config.get(HeartbeatOptions.TIMEOUT), nanoClock);
    this.libraries =
        new JobLibraries(
            workDir.resolve("blobs"),
            new GrpcBlobDownloader(jobManager, BLOB_DOWNLOAD_TIMEOUT),
            ioExecutor,
            onMainThread,
            TaskExecutor.class.getClassLoader());
    this.rpcService = new TaskManagerRpcService(this, mainThread);
  }

  /** The TaskManagerService to add to the TaskManager's RPC server. */
  public BindableService rpcService() {
    return rpcService;
  }

  /** Starts registering with the JobManager; {@code address} is where it reaches this one. */
  public void start(Address address) {
    mainThread.execute(
        () -> {
          advertisedAddress = address;
          link.start("start-up");
        });
  }

  /**
   * Completes with a one-line message when the TaskManager cannot go on (it could not register
   * within taskmanager.registration.timeout).
   */
  public CompletableFuture<String> fatalError() {
    return fatalError;
  }

  /** Cancels all tasks, waits up to {@code timeout} for them to end, and stops. */
  public void close(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    CompletableFuture<Void> tasksEnded = new CompletableFuture<>();
    try {
      mainThread.execute(
          () -> {
            link.close();
            List<CompletableFuture<TaskState>> terminations = new ArrayList<>();
            for (RunningTask task : running.values()) {
              LOG.info(
                  "Cancelling {} ({}): the TaskManager shuts down", task.name(), execution(task));
              task.handle().cancel();
              terminations.add(task.handle().terminationFuture());
            }
            CompletableFuture.allOf(terminations.toArray(CompletableFuture[]::new))
                .whenComplete((ignored, error) -> tasksEnded.complete(null));
          });
      awaitQuietly(tasksEnded, remaining(deadline), "tasks to end");
      CompletableFuture<Void> drained = new CompletableFuture<>();
      mainThread.execute(() -> reporter.drained().whenComplete((v, e) -> drained.complete(null)));
      Duration drainTimeout = remaining(deadline);
      awaitQuietly(
          drained,
          drainTimeout.compareTo(REPORT_DRAIN_TIMEOUT) > 0 ? REPORT_DRAIN_TIMEOUT : drainTimeout,
          "task states to be reported");
      CompletableFuture<Void> released = new CompletableFuture<>();
      mainThread.execute(
          () -> {
            libraries.releaseAll();
            released.complete(null);
          });
      awaitQuietly(released, Duration.ofSeconds(5), "job libraries to be released");
    } catch (RejectedExecutionException alreadyClosed) {
      LOG.debug("TaskExecutor {} already closed", id);
    }
    mainThread.shutdown();
    awaitTermination(mainThread);
    jobManager.close();
    ioExecutor.shutdown();
    awaitTermination(ioExecutor);
    try {
      fileStores.close();
    } catch (IOException e) {
      LOG.warn("TaskManager {} could not close its file stores", id, e);
    }
  }

  @Override
  public void close() {
    close(config.get(TaskManagerOptions.TASK_CANCELLATION_TIMEOUT));
  }

  // ------------------------------------------------------------------ RPC handlers (main thread)

  CompletableFuture<Ack> submitTask(SubmitTaskRequest request) {
    Optional<Ack> rejected = checkFencing(request.getFencingToken(), "SubmitTask");
    if (rejected.isPresent()) {
      return CompletableFuture.completedFuture(rejected.get());
    }
    JobId jobId;
    ExecutionId executionId;
    AllocationId allocationId;
    try {
      jobId = JobId.parse(request.getJobId());
      executionId = ExecutionId.parse(request.getExecutionId());
      allocationId = AllocationId.parse(request.getAllocationId());
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(failure("rejected: " + e.getMessage()));
    }
    String name =
        request.getVertexName()
            + " ("
            + (request.getSubtaskIndex() + 1)
            + "/"
            + request.getParallelism()
            + ")";
    if (running.containsKey(executionId)) {
      LOG.info("{} ({}) is already deployed here; acknowledging again", name, executionId);
      return CompletableFuture.completedFuture(ok());
    }
    SlotTable.Allocation allocation = new SlotTable.Allocation(allocationId, jobId);
    Optional<String> slotProblem = slots.allocate(request.getSlotIndex(), allocation);
    if (slotProblem.isPresent()) {
      LOG.warn("Rejecting {} of job {} ({}): {}", name, jobId, executionId, slotProblem.get());
      return CompletableFuture.completedFuture(failure("rejected: " + slotProblem.get()));
    }
    String token = fencingToken;
    return libraries
        .classLoader(jobId, request.getBlobKey())
        .handleAsync(
            (loader, error) ->
                deploy(request, name, jobId, executionId, allocation, token, loader, error),
            onMainThread);
  }

  private Ack deploy(
      SubmitTaskRequest request,
      String name,
      JobId jobId,
      ExecutionId executionId,
      SlotTable.Allocation allocation,
      String token,
      ClassLoader loader,
      Throwable error) {
    if (error != null) {
      String reason = JobLibraries.reason(error);
      LOG.warn("Cannot deploy {} of job {} ({}): {}", name, jobId, executionId, reason);
      maybeReleaseJob(jobId);
      return failure("cannot deploy " + name + ": " + reason);
    }
    if (!token.equals(fencingToken) || !slots.isAllocatedTo(request.getSlotIndex(), allocation)) {
      LOG.info(
          "Not deploying {} of job {} ({}): its slot {} was freed while the job jar was fetched",
          name,
          jobId,
          executionId,
          request.getSlotIndex());
      maybeReleaseJob(jobId);
      return failure(
          "cannot deploy "
              + name
              + ": slot "
              + request.getSlotIndex()
              + " was freed while the job jar was fetched");
    }
    if (running.containsKey(executionId)) {
      return ok();
    }
    TaskHandle handle;
    try {
      handle =
          taskFactory.create(
              new TaskEnvironment(
                  request,
                  loader,
                  network,
                  listenerFor(jobId),
                  config,
                  null,
                  fileStores,
                  checkpointResponder,
                  ioExecutor));
    } catch (RuntimeException e) {
      LOG.warn("Cannot create {} of job {} ({})", name, jobId, executionId, e);
      maybeReleaseJob(jobId);
      return failure("cannot deploy " + name + ": " + e);
    }
    RunningTask task = new RunningTask(handle, jobId, allocation, name);
    running.put(executionId, task);
    handle
        .terminationFuture()
        .whenCompleteAsync((state, e) -> taskEnded(executionId, task), onMainThread);
    LOG.info(
        "Deploying {} of job {} ({}), execution {}, attempt {}, into slot {}",
        name,
        request.getJobName(),
        jobId,
        executionId,
        request.getAttemptNumber(),
        request.getSlotIndex());
    try {
      handle.start();
    } catch (RuntimeException e) {
      LOG.warn("Cannot start {} of job {} ({})", name, jobId, executionId, e);
      running.remove(executionId);
      maybeReleaseJob(jobId);
      return failure("cannot start " + name + ": " + e);
    }
    return ok();
  }

  CompletableFuture<Ack> cancelTask(CancelTaskRequest request) {
    Optional<Ack> rejected = checkFencing(request.getFencingToken(), "CancelTask");
    if (rejected.isPresent()) {
      return CompletableFuture.completedFuture(rejected.get());
    }
    ExecutionId executionId;
    try {
      executionId = ExecutionId.parse(request.getExecutionId());
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(failure("rejected: " + e.getMessage()));
    }
    RunningTask task = running.get(executionId);
    if (task == null) {
      LOG.debug("CancelTask for execution {}, which is not running here", executionId);
      return CompletableFuture.completedFuture(ok());
    }
    LOG.info(
        "Cancelling {} of job {} ({}) as the JobManager asks",
        task.name(),
        task.jobId(),
        executionId);
    cancel(task);
    return CompletableFuture.completedFuture(ok());
  }

  CompletableFuture<Ack> freeSlot(FreeSlotRequest request) {
    Optional<Ack> rejected = checkFencing(request.getFencingToken(), "FreeSlot");
    if (rejected.isPresent()) {
      return CompletableFuture.completedFuture(rejected.get());
    }
    AllocationId allocationId;
    try {
      allocationId = AllocationId.parse(request.getAllocationId());
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(failure("rejected: " + e.getMessage()));
    }
    for (RunningTask task : List.copyOf(running.values())) {
      if (task.allocation().allocationId().equals(allocationId)) {
        LOG.info(
            "Cancelling {} of job {} ({}): its slot is being freed",
            task.name(),
            task.jobId(),
            execution(task));
        cancel(task);
      }
    }
    Optional<SlotTable.Allocation> freed = slots.free(allocationId);
    if (freed.isPresent()) {
      LOG.info("Freed the slot of allocation {} (job {})", allocationId, freed.get().jobId());
      maybeReleaseJob(freed.get().jobId());
    } else {
      LOG.debug("FreeSlot for allocation {}, which holds no slot here", allocationId);
    }
    return CompletableFuture.completedFuture(ok());
  }

  CompletableFuture<Ack> triggerCheckpoint(TriggerCheckpointRequest request) {
    String what =
        (request.getIsSavepoint() ? "savepoint " : "checkpoint ") + request.getCheckpointId();
    return routeToTask(
        request.getFencingToken(),
        "TriggerCheckpoint",
        request.getExecutionId(),
        what,
        task ->
            task.triggerCheckpoint(
                request.getCheckpointId(),
                request.getTimestamp(),
                request.getCheckpointDir(),
                request.getIsSavepoint()));
  }

  CompletableFuture<Ack> notifyCheckpointComplete(CheckpointNotification request) {
    return routeToTask(
        request.getFencingToken(),
        "NotifyCheckpointComplete",
        request.getExecutionId(),
        "completion of checkpoint " + request.getCheckpointId(),
        task -> task.notifyCheckpointComplete(request.getCheckpointId()));
  }

  CompletableFuture<Ack> notifyCheckpointAborted(CheckpointNotification request) {
    return routeToTask(
        request.getFencingToken(),
        "NotifyCheckpointAborted",
        request.getExecutionId(),
        "abort of checkpoint " + request.getCheckpointId(),
        task -> task.notifyCheckpointAborted(request.getCheckpointId()));
  }

  /** Checks the fencing token, finds the task by execution id and hands it the checkpoint call. */
  private CompletableFuture<Ack> routeToTask(
      String token,
      String call,
      String execution,
      String what,
      java.util.function.Predicate<TaskHandle> deliver) {
    Optional<Ack> rejected = checkFencing(token, call);
    if (rejected.isPresent()) {
      return CompletableFuture.completedFuture(rejected.get());
    }
    ExecutionId executionId;
    try {
      executionId = ExecutionId.parse(execution);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(failure("rejected: " + e.getMessage()));
    }
    RunningTask task = running.get(executionId);
    if (task == null) {
      LOG.info("{} for execution {}, which is not running here", call, executionId);
      return CompletableFuture.completedFuture(
          failure("execution " + executionId + " is not running on TaskManager " + id));
    }
    if (!deliver.test(task.handle())) {
      LOG.info(
          "{} of job {} ({}) did not take the {}: it is {}",
          task.name(),
          task.jobId(),
          executionId,
          what,
          task.handle().state());
      return CompletableFuture.completedFuture(
          failure(task.name() + " (" + executionId + ") is " + task.handle().state()));
    }
    LOG.debug("Handed the {} to {} ({})", what, task.name(), executionId);
    return CompletableFuture.completedFuture(ok());
  }

  CompletableFuture<Ack> notSupportedYet(String token, String call) {
    Optional<Ack> rejected = checkFencing(token, call);
    return CompletableFuture.completedFuture(rejected.orElse(failure("not supported yet")));
  }

  // ------------------------------------------------------------------ internals (main thread)

  private Optional<Ack> checkFencing(String token, String call) {
    if (fencingToken != null && fencingToken.equals(token)) {
      return Optional.empty();
    }
    String current = fencingToken == null ? "<none: not registered yet>" : fencingToken;
    String message =
        "rejected: fencing token " + token + " does not match the current JobManager's " + current;
    LOG.warn("{} call {}", call, message);
    return Optional.of(failure(message));
  }

  private TaskListener listenerFor(JobId jobId) {
    return (executionId, state, cause) -> {
      try {
        mainThread.execute(() -> taskStateChanged(jobId, executionId, state, cause));
      } catch (RejectedExecutionException shuttingDown) {
        LOG.info(
            "Execution {} of job {} is {}; the TaskManager has shut down, not reporting it",
            executionId,
            jobId,
            state);
      }
    };
  }

  /**
   * Cancels a task; if it has not stopped within task.cancellation.timeout it is declared FAILED
   * and its slot's resources are no longer held for it.
   */
  private void cancel(RunningTask task) {
    task.handle().cancel();
    Duration timeout = config.get(TaskManagerOptions.TASK_CANCELLATION_TIMEOUT);
    mainThread.schedule(
        () -> declareFailedIfStillRunning(task, timeout),
        timeout.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void declareFailedIfStillRunning(RunningTask task, Duration timeout) {
    ExecutionId executionId = task.handle().executionId();
    if (running.get(executionId) != task || task.handle().terminationFuture().isDone()) {
      return;
    }
    TaskCancellationTimeoutException cause =
        new TaskCancellationTimeoutException(
            task.name()
                + " did not stop within task.cancellation.timeout ("
                + timeout.toMillis()
                + " ms) after it was cancelled");
    LOG.error(
        "{} of job {} ({}) did not stop within {} ms after it was cancelled; declaring it"
            + " FAILED and no longer reporting its states",
        task.name(),
        task.jobId(),
        executionId,
        timeout.toMillis());
    abandoned.add(executionId);
    reporter.report(task.jobId(), executionId, TaskState.FAILED, cause, task.handle().metrics());
    taskEnded(executionId, task);
  }

  private void taskStateChanged(
      JobId jobId, ExecutionId executionId, TaskState state, Throwable cause) {
    if (abandoned.contains(executionId)) {
      LOG.info(
          "Execution {} of job {}, declared FAILED after its cancellation timed out, is now {}",
          executionId,
          jobId,
          state);
      if (TERMINAL.contains(state)) {
        abandoned.remove(executionId);
      }
      return;
    }
    RunningTask task = running.get(executionId);
    String name = task == null ? "execution " + executionId : task.name();
    if (state == TaskState.FAILED) {
      LOG.warn("{} of job {} ({}) failed", name, jobId, executionId, cause);
    } else {
      LOG.info("{} of job {} ({}) is {}", name, jobId, executionId, state);
    }
    if (REPORTED.contains(state)) {
      TaskMetrics finalMetrics =
          TERMINAL.contains(state) && task != null ? task.handle().metrics() : null;
      reporter.report(jobId, executionId, state, cause, finalMetrics);
    }
    if (TERMINAL.contains(state) && task != null) {
      taskEnded(executionId, task);
    }
  }

  private void taskEnded(ExecutionId executionId, RunningTask task) {
    if (running.remove(executionId, task)) {
      maybeReleaseJob(task.jobId());
    }
  }

  /** Releases a job's jar and class loader once none of its slots and tasks are left here. */
  private void maybeReleaseJob(JobId jobId) {
    if (slots.hasSlotsOf(jobId)) {
      return;
    }
    for (RunningTask task : running.values()) {
      if (task.jobId().equals(jobId)) {
        return;
      }
    }
    libraries.release(jobId);
  }

  private void leadershipMoved(String oldToken, String newToken) {
    LOG.warn(
        "Leadership moved: JobManager fencing token {} replaced by {}; cancelling {} task(s) and"
            + " freeing all slots",
        oldToken,
        newToken,
        running.size());
    for (RunningTask task : List.copyOf(running.values())) {
      cancel(task);
    }
    for (SlotTable.Allocation freed : slots.freeAll()) {
      maybeReleaseJob(freed.jobId());
    }
  }

  private static String execution(RunningTask task) {
    return task.handle().executionId().value();
  }

  private static Ack ok() {
    return Ack.newBuilder().setOk(true).build();
  }

  private static Ack failure(String message) {
    return Ack.newBuilder().setOk(false).setError(message).build();
  }

  private static Duration remaining(long deadlineNanos) {
    long left = deadlineNanos - System.nanoTime();
    return Duration.ofNanos(Math.max(left, 0));
  }

  private void awaitQuietly(CompletableFuture<?> future, Duration timeout, String what) {
    // even a zero timeout leaves the main thread time for its bookkeeping
    timeout = timeout.compareTo(MIN_WAIT) < 0 ? MIN_WAIT : timeout;
    try {
      future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.warn("TaskManager {} stopped waiting for {} after {} ms", id, what, timeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      LOG.warn("TaskManager {} failed waiting for {}", id, what, e.getCause());
    }
  }

  private void awaitTermination(ExecutorService executor) {
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** Connects the registration to this TaskManager's state; called on the main thread. */
  private final class LinkOwner implements JobManagerLink.Owner {
    @Override
    public RegisterTaskManagerRequest registrationRequest() {
      RegisterTaskManagerRequest.Builder request =
          RegisterTaskManagerRequest.newBuilder()
              .setTaskManagerId(id.value())
              .setRpcAddress(advertisedAddress)
              .setNumberOfSlots(slots.size())
              .setPhysicalMemoryBytes(physicalMemoryBytes())
              .setCpuCores(Runtime.getRuntime().availableProcessors());
      running.keySet().forEach(e -> request.addRunningExecutionIds(e.value()));
      return request.build();
    }

    @Override
    public TaskManagerHeartbeat heartbeatPayload(String registrationId) {
      Runtime runtime = Runtime.getRuntime();
      TaskManagerHeartbeat.Builder heartbeat =
          TaskManagerHeartbeat.newBuilder()
              .setTaskManagerId(id.value())
              .setRegistrationId(registrationId)
              .addAllSlots(slots.status())
              .setHeapUsedBytes(runtime.totalMemory() - runtime.freeMemory())
              .setHeapMaxBytes(runtime.maxMemory());
      for (RunningTask task : running.values()) {
        try {
          heartbeat.addTaskMetrics(task.handle().metrics());
        } catch (RuntimeException e) {
          LOG.debug("No metrics from {} ({})", task.name(), execution(task), e);
        }
      }
      return heartbeat.build();
    }

    @Override
    public void registered(JobManagerLink.Registration registration, boolean leaderChanged) {
      String previous = fencingToken;
      fencingToken = registration.fencingToken();
      if (leaderChanged) {
        leadershipMoved(previous, registration.fencingToken());
      }
    }

    @Override
    public void registrationTimedOut(String message) {
      fatalError.complete(message);
    }
  }

  private static long physicalMemoryBytes() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize();
    }
    return Runtime.getRuntime().maxMemory();
  }
}
