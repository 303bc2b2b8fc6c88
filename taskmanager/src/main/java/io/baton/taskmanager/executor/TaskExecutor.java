package io.baton.taskmanager.executor;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import io.baton.common.checkpoint.CheckpointNotice;
import io.baton.common.checkpoint.CheckpointTrigger;
import io.baton.common.cluster.Acknowledgement;
import io.baton.common.cluster.FreeSlotCommand;
import io.baton.common.cluster.HeartbeatReport;
import io.baton.common.cluster.RpcAddress;
import io.baton.common.cluster.TaskManagerRegistration;
import io.baton.common.concurrent.MainThreadExecutor;
import io.baton.common.concurrent.SingleThreadMainThreadExecutor;
import io.baton.common.config.Configuration;
import io.baton.common.config.HeartbeatOptions;
import io.baton.common.config.JobManagerOptions;
import io.baton.common.config.TaskManagerOptions;
import io.baton.common.deployment.AdoptTasksCommand;
import io.baton.common.deployment.CancelTaskCommand;
import io.baton.common.deployment.TaskDeployment;
import io.baton.common.execution.ExecutionState;
import io.baton.common.execution.TaskIoCounters;
import io.baton.common.ids.ExecutionId;
import io.baton.common.ids.TaskManagerId;
import io.baton.ha.LeaderRetrievalService;
import io.baton.storage.FileStores;
import io.baton.taskmanager.network.NetworkEnvironment;
import io.baton.taskmanager.task.CheckpointResponder;
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
import java.util.function.Supplier;
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
  private final JobManagerConnection jobManager;
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
  private final TaskAdoption adoption;
  private final CompletableFuture<String> fatalError = new CompletableFuture<>();
  private final CheckpointAckTimes checkpointAckTimes = new CheckpointAckTimes();

  /** Names the JobManager leader in HA mode; null when the JobManager's address is fixed. */
  private final LeaderRetrievalService leaderRetrieval;

  private final JobManagerLeaderFollower leaderFollower;

  private RpcAddress advertisedAddress;

  /**
   * A TaskExecutor that registers with the JobManager {@code jobManager} reaches (the one at
   * jobmanager.rpc.address:jobmanager.rpc.port).
   *
   * @param workDir this TaskManager's scratch directory; job jars go to {@code workDir/blobs}
   * @param jobManager the calls to the JobManager; closed by the TaskExecutor
   * @param blobs fetches job jars from the JobManager
   */
  public TaskExecutor(
      Configuration config,
      TaskManagerId id,
      NetworkEnvironment network,
      TaskFactory taskFactory,
      Path workDir,
      JobManagerConnection jobManager,
      BlobDownloader blobs) {
    this(config, id, network, taskFactory, workDir, jobManager, blobs, null);
  }

  /**
   * A TaskExecutor that follows the JobManager leader {@code leaderRetrieval} publishes (HA mode).
   * It starts the retrieval in {@link #start} and closes it in {@link #close}.
   *
   * @param workDir this TaskManager's scratch directory; job jars go to {@code workDir/blobs}
   * @param jobManager the calls to the JobManager, pointed at each leader as it is published;
   *     closed by the TaskExecutor
   * @param blobs fetches job jars from the JobManager
   */
  public static TaskExecutor followingLeader(
      Configuration config,
      TaskManagerId id,
      NetworkEnvironment network,
      TaskFactory taskFactory,
      Path workDir,
      JobManagerConnection jobManager,
      BlobDownloader blobs,
      LeaderRetrievalService leaderRetrieval) {
    return new TaskExecutor(
        config,
        id,
        network,
        taskFactory,
        workDir,
        jobManager,
        blobs,
        Objects.requireNonNull(leaderRetrieval));
  }

  private TaskExecutor(
      Configuration config,
      TaskManagerId id,
      NetworkEnvironment network,
      TaskFactory taskFactory,
      Path workDir,
      JobManagerConnection jobManager,
      BlobDownloader blobs,
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
    this.jobManager = jobManager;
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
            CHECKPOINT_ANSWER_RETRY_PAUSE,
            checkpointAckTimes);
    this.reporter =
        new TaskStateReporter(
            jobManager, mainThread, id, config.get(HeartbeatOptions.TIMEOUT), nanoClock);
    this.libraries =
        new JobLibraries(
            workDir.resolve("blobs"),
            blobs,
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
    this.checkpointCalls = new CheckpointCallRouter(id, tasks);
    this.slotFreeing = new SlotFreeing(slots, tasks);
    // the TaskManager's wait outlasts the leader's (counted from its recovery of the job, which
    // starts after it was published), so a leader never adopts a task being cancelled here
    this.adoption =
        new TaskAdoption(
            tasks,
            slots,
            mainThread,
            config.get(JobManagerOptions.RECONCILIATION_TIMEOUT).multipliedBy(2));
    this.leaderFollower =
        leaderRetrieval == null
            ? null
            : new JobManagerLeaderFollower(
                id,
                onMainThread,
                jobManager,
                link,
                fencing,
                config.get(JobManagerOptions.FAILOVER_RECONCILE)
                    ? adoption::leadershipMoved
                    : slotFreeing::leadershipMoved);
  }

  /**
   * Starts registering with the JobManager (in HA mode: starts following the leader and registers
   * with each one); {@code address} is where the JobManager reaches this TaskManager.
   */
  public void start(RpcAddress address) {
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

  /** Slots, registration and running tasks' I/O as the main thread sees them now. */
  public CompletableFuture<TaskManagerFigures> figures() {
    return mainThread.call(
        () -> {
          List<TaskManagerFigures.TaskFigures> running = new ArrayList<>();
          for (RunningTask task : tasks.all()) {
            TaskIoCounters io;
            try {
              io = task.handle().metrics();
            } catch (RuntimeException e) {
              LOG.debug("No metrics from {} ({})", task.name(), task.execution(), e);
              continue;
            }
            running.add(
                new TaskManagerFigures.TaskFigures(
                    task.jobId().value(),
                    task.name(),
                    io.recordsIn(),
                    io.recordsOut(),
                    io.bytesIn(),
                    io.bytesOut()));
          }
          return new TaskManagerFigures(
              slots.size(), slots.allocations().size(), link.current() != null, running);
        });
  }

  /** The durations of this TaskManager's checkpoint acknowledgements so far. */
  public CheckpointAckTimes checkpointAckTimes() {
    return checkpointAckTimes;
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
            List<CompletableFuture<ExecutionState>> terminations = new ArrayList<>();
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

  // ------------------------------------------------------------------ JobManager commands

  /**
   * Runs a JobManager's command on the main thread, once {@code fencingToken} proved it comes from
   * the JobManager this TaskManager is registered with; any other token is rejected (naming only
   * the tokens' digests) and the command is not run.
   *
   * @param call the command's name, for the log
   * @return the command's answer; fails with a {@link RejectedExecutionException} when the
   *     TaskExecutor has shut down
   */
  public CompletableFuture<Acknowledgement> onJobManagerCommand(
      String fencingToken, String call, Supplier<CompletableFuture<Acknowledgement>> command) {
    return mainThread.compose(
        () -> {
          Optional<Acknowledgement> rejected = fencing.check(fencingToken, call);
          return rejected.isPresent()
              ? CompletableFuture.completedFuture(rejected.get())
              : command.get();
        });
  }

  /** What went wrong, in one line, for an answer to the JobManager. */
  public static String oneLine(Throwable error) {
    return JobLibraries.reason(error);
  }

  /** Deploys a task into its slot; main thread only, after the fencing check. */
  public CompletableFuture<Acknowledgement> submitTask(TaskDeployment deployment) {
    mainThread.assertRunningInMainThread();
    return deployer.submitTask(deployment);
  }

  /** Cancels a task; main thread only, after the fencing check. */
  public CompletableFuture<Acknowledgement> cancelTask(CancelTaskCommand command) {
    mainThread.assertRunningInMainThread();
    ExecutionId executionId = command.executionId();
    RunningTask task = tasks.get(executionId);
    if (task == null) {
      LOG.debug("CancelTask for execution {}, which is not running here", executionId);
      return CompletableFuture.completedFuture(Acknowledgement.accepted());
    }
    LOG.info(
        "Cancelling {} of job {} ({}) as the JobManager asks",
        task.name(),
        task.jobId(),
        executionId);
    tasks.cancel(task);
    return CompletableFuture.completedFuture(Acknowledgement.accepted());
  }

  /** Frees a slot, cancelling its tasks; main thread only, after the fencing check. */
  public CompletableFuture<Acknowledgement> freeSlot(FreeSlotCommand command) {
    mainThread.assertRunningInMainThread();
    return slotFreeing.freeSlot(command);
  }

  /**
   * The new leader adopts tasks this TaskManager kept running while leadership moved; main thread
   * only, after the fencing check.
   */
  public CompletableFuture<Acknowledgement> adoptTasks(AdoptTasksCommand command) {
    mainThread.assertRunningInMainThread();
    return adoption.adopt(command);
  }

  /** Hands a checkpoint trigger to its task; main thread only, after the fencing check. */
  public CompletableFuture<Acknowledgement> triggerCheckpoint(CheckpointTrigger trigger) {
    mainThread.assertRunningInMainThread();
    return checkpointCalls.triggerCheckpoint(trigger);
  }

  /** Tells a task a checkpoint completed; main thread only, after the fencing check. */
  public CompletableFuture<Acknowledgement> notifyCheckpointComplete(CheckpointNotice notice) {
    mainThread.assertRunningInMainThread();
    return checkpointCalls.notifyCheckpointComplete(notice);
  }

  /** Tells a task a checkpoint was aborted; main thread only, after the fencing check. */
  public CompletableFuture<Acknowledgement> notifyCheckpointAborted(CheckpointNotice notice) {
    mainThread.assertRunningInMainThread();
    return checkpointCalls.notifyCheckpointAborted(notice);
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
    public TaskManagerRegistration registrationRequest() {
      heldAtRegistration = slots.allocations();
      // tasks being cancelled (e.g. those of a leader that lost leadership) are no one's to take
      return new TaskManagerRegistration(
          id,
          advertisedAddress,
          slots.size(),
          physicalMemoryBytes(),
          Runtime.getRuntime().availableProcessors(),
          tasks.notCancelling());
    }

    @Override
    public HeartbeatReport heartbeatPayload(String registrationId) {
      Runtime runtime = Runtime.getRuntime();
      List<TaskIoCounters> metrics = new ArrayList<>();
      for (RunningTask task : tasks.all()) {
        try {
          metrics.add(task.handle().metrics());
        } catch (RuntimeException e) {
          LOG.debug("No metrics from {} ({})", task.name(), task.execution(), e);
        }
      }
      return new HeartbeatReport(
          id,
          registrationId,
          slots.status(),
          metrics,
          runtime.totalMemory() - runtime.freeMemory(),
          runtime.maxMemory());
    }

    @Override
    public void registered(JobManagerLink.Registration registration) {
      // In HA mode the token was taken (and the old leader's tasks cancelled) when retrieval
      // published it; without HA a registration is how a new JobManager makes itself known.
      String previous = fencing.replace(registration.fencingToken());
      if (previous != null && !previous.equals(registration.fencingToken())) {
        slotFreeing.leadershipMoved(previous, registration.fencingToken());
      } else {
        // the resource manager treats every registration as new: it forgot the earlier slots,
        // but for those of tasks kept for a new leader to adopt (it reconciles them)
        slotFreeing.registeredAfresh(
            heldAtRegistration.stream()
                .filter(held -> !adoption.holdsAwaitedTask(held.allocationId()))
                .toList());
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
