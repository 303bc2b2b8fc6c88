package io.baton.taskmanager.executor;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import io.baton.common.concurrent.MainThreadExecutor;
import io.baton.common.concurrent.SingleThreadMainThreadExecutor;
import io.baton.common.config.Configuration;
import io.baton.common.config.HeartbeatOptions;
import io.baton.common.config.JobManagerOptions;
import io.baton.common.config.TaskManagerOptions;
import io.baton.common.ids.ExecutionId;
import io.baton.common.ids.TaskManagerId;
import io.baton.common.rpc.Ack;
import io.baton.common.rpc.Address;
import io.baton.common.rpc.CancelTaskRequest;
import io.baton.common.rpc.CheckpointNotification;
import io.baton.common.rpc.FreeSlotRequest;
import io.baton.common.rpc.GrpcChannelFactory;
import io.baton.common.rpc.RegisterTaskManagerRequest;
import io.baton.common.rpc.SubmitTaskRequest;
import io.baton.common.rpc.TaskManagerHeartbeat;
import io.baton.common.rpc.TaskState;
import io.baton.common.rpc.TriggerCheckpointRequest;
import io.baton.ha.LeaderRetrievalService;
import io.baton.storage.FileStores;
import io.baton.taskmanager.network.NetworkEnvironment;
import io.baton.taskmanager.task.CheckpointResponder;
import io.grpc.BindableService;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TaskManager's control plane: registers and heartbeats with the JobManager, accepts tasks into
 * slots, runs them with the job's class loader and reports their states. All its state lives on one
 * main thread; RPC handlers, task callbacks, JobManager answers and leader retrieval hop onto it.
 *
 * <p>Without HA the JobManager is at jobmanager.rpc.address:jobmanager.rpc.port. In HA mode leader
 * retrieval names it and its fencing token, and the TaskManager follows it when leadership moves
 * (see {@link JobManagerLeaderFollower}).
 */
public final class TaskExecutor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TaskExecutor.class);
  private static final Duration BLOB_DOWNLOAD_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration REPORT_DRAIN_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration MIN_WAIT = Duration.ofMillis(500);
  private static final Duration MAIN_THREAD_STOP_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration CHECKPOINT_ANSWER_DEADLINE = Duration.ofSeconds(10);
  private static final int CHECKPOINT_ANSWER_ATTEMPTS = 3;
  private static final Duration CHECKPOINT_ANSWER_RETRY_PAUSE = Duration.ofMillis(200);

  private final Configuration config;
  private final TaskManagerId id;
  private final MainThreadExecutor mainThread;

  /** Runs on the main thread; drops the work once the TaskExecutor has shut down. */
  private final Executor onMainThread;

  private final ExecutorService ioExecutor;
  private final JobManagerGateway jobManager;
  private final FileStores fileStores;
  private final JobManagerLink link;
  private final TaskStateReporter reporter;
  private final JobLibraries libraries;
  private final SlotTable slots;
  private final JobManagerFencing fencing = new JobManagerFencing();
  private final RunningTasks tasks;
  private final TaskDeployer deployer;
  private final CheckpointCallRouter checkpointCalls;
  private final SlotFreeing slotFreeing;
  private final CompletableFuture<String> fatalError = new CompletableFuture<>();
  private final TaskManagerRpcService rpcService;

  /** Names the JobManager leader in HA mode; null when the JobManager's address is fixed. */
  private final LeaderRetrievalService leaderRetrieval;

  private final JobManagerLeaderFollower leaderFollower;

  private Address advertisedAddress;

  /**
   * A TaskExecutor that registers with the JobManager at
   * jobmanager.rpc.address:jobmanager.rpc.port.
   *
   * @param workDir this TaskManager's scratch directory; job jars go to {@code workDir/blobs}
   */
  public TaskExecutor(
      Configuration config,
      TaskManagerId id,
      NetworkEnvironment network,
      TaskFactory taskFactory,
      Path workDir) {
    this(config, id, network, taskFactory, workDir, null);
  }

  /**
   * A TaskExecutor that follows the JobManager leader {@code leaderRetrieval} publishes (HA mode).
   * It starts the retrieval in {@link #start} and closes it in {@link #close}.
   *
   * @param workDir this TaskManager's scratch directory; job jars go to {@code workDir/blobs}
   */
  public static TaskExecutor followingLeader(
      Configuration config,
      TaskManagerId id,
      NetworkEnvironment network,
      TaskFactory taskFactory,
      Path workDir,
      LeaderRetrievalService leaderRetrieval) {
    return new TaskExecutor(
        config, id, network, taskFactory, workDir, Objects.requireNonNull(leaderRetrieval));
  }

  private TaskExecutor(
      Configuration config,
      TaskManagerId id,
      NetworkEnvironment network,
      TaskFactory taskFactory,
      Path workDir,
      LeaderRetrievalService leaderRetrieval) {
    this.config = config;
    this.leaderRetrieval = leaderRetrieval;
    this.id = id;
    this.slots = new SlotTable(config.get(TaskManagerOptions.NUM_TASK_SLOTS));
    // timers (heartbeats, retries, cancellation watchdogs) die with the TaskExecutor
    this.mainThread =
        new SingleThreadMainThreadExecutor(
            "TaskExecutor " + id, "baton-tm-main-" + id.value().substring(0, 8));
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
    GrpcChannelFactory channels = GrpcChannelFactory.fromConfiguration(config);
    this.jobManager =
        leaderRetrieval == null
            ? new JobManagerGateway(
                channels, config.get(JobManagerOptions.ADDRESS), config.get(JobManagerOptions.PORT))
            : JobManagerGateway.unconnected(channels);
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
    CheckpointResponder checkpointResponder =
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
    this.tasks = new RunningTasks(config, mainThread, reporter, libraries, slots);
    this.deployer =
        new TaskDeployer(
            config,
            fencing,
            slots,
            libraries,
            tasks,
            taskFactory,
            network,
            fileStores,
            checkpointResponder,
            ioExecutor,
            onMainThread);
    this.checkpointCalls = new CheckpointCallRouter(id, fencing, tasks);
    this.slotFreeing = new SlotFreeing(fencing, slots, tasks);
    this.rpcService = new TaskManagerRpcService(this, mainThread);
    this.leaderFollower =
        leaderRetrieval == null
            ? null
            : new JobManagerLeaderFollower(
                id, onMainThread, jobManager, link, fencing, slotFreeing);
  }

  /** The TaskManagerService to add to the TaskManager's RPC server. */
  public BindableService rpcService() {
    return rpcService;
  }

  /**
   * Starts registering with the JobManager (in HA mode: starts following the leader and registers
   * with each one); {@code address} is where the JobManager reaches this TaskManager.
   */
  public void start(Address address) {
    mainThread.execute(
        () -> {
          advertisedAddress = address;
          if (leaderRetrieval == null) {
            link.start("start-up");
          }
        });
    if (leaderRetrieval == null) {
      return;
    }
    // Started on the caller's thread: it reads ZooKeeper, which the main thread must not wait for.
    // Its notifications queue behind the task above, so registrations carry the address.
    try {
      leaderRetrieval.start(leaderFollower);
    } catch (Exception e) {
      LOG.error("TaskManager {} cannot start leader retrieval", id, e);
      fatalError.complete("cannot start following the JobManager leader: " + e);
    }
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
    closeLeaderRetrieval();
    CompletableFuture<Void> tasksEnded = new CompletableFuture<>();
    try {
      mainThread.execute(
          () -> {
            link.close();
            List<CompletableFuture<TaskState>> terminations = new ArrayList<>();
            for (RunningTask task : List.copyOf(tasks.all())) {
              if (task.handle().isExitingJvm()) {
                // its thread waits in System.exit for this very shutdown: it can never end
                LOG.error(
                    "{} ({}) of job {} called System.exit; reporting it FAILED and not waiting"
                        + " for it",
                    task.name(),
                    task.execution(),
                    task.jobId());
                tasks.abandon(
                    task,
                    new UserCodeExitException(
                        "user code of "
                            + task.name()
                            + " called System.exit: TaskManager "
                            + id
                            + " is exiting"));
                continue;
              }
              LOG.info(
                  "Cancelling {} ({}): the TaskManager shuts down", task.name(), task.execution());
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
    mainThread.shutdown(MAIN_THREAD_STOP_TIMEOUT);
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
    mainThread.assertRunningInMainThread();
    return deployer.submitTask(request);
  }

  CompletableFuture<Ack> cancelTask(CancelTaskRequest request) {
    mainThread.assertRunningInMainThread();
    Optional<Ack> rejected = fencing.check(request.getFencingToken(), "CancelTask");
    if (rejected.isPresent()) {
      return CompletableFuture.completedFuture(rejected.get());
    }
    ExecutionId executionId;
    try {
      executionId = ExecutionId.parse(request.getExecutionId());
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(Acks.failure("rejected: " + e.getMessage()));
    }
    RunningTask task = tasks.get(executionId);
    if (task == null) {
      LOG.debug("CancelTask for execution {}, which is not running here", executionId);
      return CompletableFuture.completedFuture(Acks.ok());
    }
    LOG.info(
        "Cancelling {} of job {} ({}) as the JobManager asks",
        task.name(),
        task.jobId(),
        executionId);
    tasks.cancel(task);
    return CompletableFuture.completedFuture(Acks.ok());
  }

  CompletableFuture<Ack> freeSlot(FreeSlotRequest request) {
    mainThread.assertRunningInMainThread();
    return slotFreeing.freeSlot(request);
  }

  CompletableFuture<Ack> triggerCheckpoint(TriggerCheckpointRequest request) {
    mainThread.assertRunningInMainThread();
    return checkpointCalls.triggerCheckpoint(request);
  }

  CompletableFuture<Ack> notifyCheckpointComplete(CheckpointNotification request) {
    mainThread.assertRunningInMainThread();
    return checkpointCalls.notifyCheckpointComplete(request);
  }

  CompletableFuture<Ack> notifyCheckpointAborted(CheckpointNotification request) {
    mainThread.assertRunningInMainThread();
    return checkpointCalls.notifyCheckpointAborted(request);
  }

  CompletableFuture<Ack> notSupportedYet(String token, String call) {
    mainThread.assertRunningInMainThread();
    Optional<Ack> rejected = fencing.check(token, call);
    return CompletableFuture.completedFuture(rejected.orElse(Acks.failure("not supported yet")));
  }

  // ------------------------------------------------------------------ internals

  /** Stops following the leader first, so no leader change starts a registration while closing. */
  private void closeLeaderRetrieval() {
    if (leaderRetrieval == null) {
      return;
    }
    try {
      leaderRetrieval.close();
    } catch (Exception e) {
      LOG.warn("TaskManager {} could not close its leader retrieval", id, e);
    }
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
    // the slots held when the last registration request was built: a registration releases them
    private List<SlotTable.Allocation> heldAtRegistration = List.of();

    @Override
    public RegisterTaskManagerRequest registrationRequest() {
      heldAtRegistration = slots.allocations();
      RegisterTaskManagerRequest.Builder request =
          RegisterTaskManagerRequest.newBuilder()
              .setTaskManagerId(id.value())
              .setRpcAddress(advertisedAddress)
              .setNumberOfSlots(slots.size())
              .setPhysicalMemoryBytes(physicalMemoryBytes())
              .setCpuCores(Runtime.getRuntime().availableProcessors());
      // tasks being cancelled (e.g. those of a leader that lost leadership) are no one's to take
      tasks.executionIdsNotCancelling().forEach(e -> request.addRunningExecutionIds(e.value()));
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
      for (RunningTask task : tasks.all()) {
        try {
          heartbeat.addTaskMetrics(task.handle().metrics());
        } catch (RuntimeException e) {
          LOG.debug("No metrics from {} ({})", task.name(), task.execution(), e);
        }
      }
      return heartbeat.build();
    }

    @Override
    public void registered(JobManagerLink.Registration registration) {
      // In HA mode the token was taken (and the old leader's tasks cancelled) when retrieval
      // published it; without HA a registration is how a new JobManager makes itself known.
      String previous = fencing.replace(registration.fencingToken());
      if (previous != null && !previous.equals(registration.fencingToken())) {
        slotFreeing.leadershipMoved(previous, registration.fencingToken());
      } else {
        // the resource manager treats every registration as new: it forgot the earlier slots
        slotFreeing.registeredAfresh(heldAtRegistration);
      }
      heldAtRegistration = List.of();
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
