package io.baton.taskmanager.task;

import io.baton.common.config.CheckpointingOptions;
import io.baton.common.deployment.TaskDeployment;
import io.baton.common.execution.ExecutionState;
import io.baton.common.execution.TaskIoCounters;
import io.baton.common.ids.ExecutionId;
import io.baton.taskmanager.operators.OperatorChain;
import io.baton.taskmanager.operators.OperatorException;
import io.baton.taskmanager.operators.SourceOperator;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One subtask running on a TaskManager, in a thread of its own: reads its inputs, drives its
 * operator chain and writes its outputs until its input ends, it fails, or it is cancelled.
 *
 * <p>Everything the chain does happens on the task's thread, one step at a time (a source poll, one
 * input buffer), so checkpoints are cut between records without locks. Other threads {@link
 * #cancel}, read {@link #state} and {@link #metrics}, and put checkpoint actions (trigger,
 * complete, abort) into the task's mailbox, which the task's thread empties between steps.
 *
 * <p>A source task snapshots its chain when triggered, then sends the barrier on every output; a
 * task with inputs aligns the barriers of all its channels first. The state files are written on
 * the TaskManager's I/O threads while processing goes on, then acknowledged.
 *
 * <p>The parts of a task: {@link TaskLifecycle} (its state), {@link ChainSetup} (building the
 * chain), {@link TaskChannels} (its partitions and gates), {@link TaskMailbox} and {@link
 * TaskCheckpoints} (checkpoint actions), {@link SourceLoop} and {@link InputLoop} (the main loops).
 * This class ties them together on the task's thread.
 */
public final class Task {
  private static final Logger LOG = LoggerFactory.getLogger(Task.class);

  private final TaskDeployment descriptor;
  private final ExecutionId executionId;
  private final String taskNameWithSubtask;
  private final Thread thread;
  private final CompletableFuture<ExecutionState> termination = new CompletableFuture<>();
  private final TaskIoMetrics ioMetrics;
  private final TaskLifecycle lifecycle;
  private final SecondaryErrors errors;
  private final TaskChannels channels;
  private final TaskMailbox mailbox;
  private final TaskCheckpoints checkpoints;
  private final ChainSetup setup;
  private final SourceLoop sourceLoop;
  private final InputLoop inputLoop;
  private final ClassLoader userClassLoader;

  public Task(TaskEnvironment environment) {
    this(environment, System::nanoTime);
  }

  Task(TaskEnvironment environment, LongSupplier nanoClock) {
    this.descriptor = environment.descriptor();
    this.executionId = descriptor.executionId();
    this.userClassLoader = environment.userClassLoader();
    this.taskNameWithSubtask =
        descriptor.vertexName()
            + " ("
            + (descriptor.subtaskIndex() + 1)
            + "/"
            + descriptor.parallelism()
            + ")#"
            + descriptor.attemptNumber();
    this.ioMetrics = new TaskIoMetrics(executionId, nanoClock);
    this.thread = new Thread(this::run, taskNameWithSubtask);
    CheckpointWriter checkpointWriter =
        new CheckpointWriter(
            new CheckpointWriter.TaskIdentity(
                descriptor.jobId(),
                executionId,
                descriptor.vertexId(),
                descriptor.subtaskIndex(),
                descriptor.parallelism(),
                taskNameWithSubtask),
            environment.fileStores(),
            environment.serializers(),
            environment.userClassLoader(),
            environment.ioExecutor(),
            environment.checkpointResponder(),
            nanoClock);
    String interval = descriptor.jobConfig().get(CheckpointingOptions.INTERVAL.key());
    boolean checkpointingEnabled = interval != null && !interval.isBlank();

    this.lifecycle = new TaskLifecycle(environment.listener(), executionId, taskNameWithSubtask);
    this.errors = new SecondaryErrors(executionId, taskNameWithSubtask);
    this.channels = new TaskChannels(ioMetrics, nanoClock, errors);
    this.mailbox = new TaskMailbox(lifecycle, thread);
    this.checkpoints =
        new TaskCheckpoints(
            descriptor,
            environment.configuration(),
            executionId,
            taskNameWithSubtask,
            nanoClock,
            checkpointWriter,
            channels);
    this.setup = new ChainSetup(environment, executionId, taskNameWithSubtask, channels, lifecycle);
    this.sourceLoop =
        new SourceLoop(
            lifecycle,
            mailbox,
            checkpoints,
            channels,
            checkpointingEnabled,
            executionId,
            taskNameWithSubtask);
    this.inputLoop =
        new InputLoop(lifecycle, mailbox, checkpoints, channels, executionId, taskNameWithSubtask);
  }

  /**
   * Asks a source task to take a checkpoint between two records: snapshot, barrier, write, ack.
   *
   * @return false when the task has ended or is ending (it takes no more checkpoints)
   */
  public boolean triggerCheckpoint(
      long checkpointId, long timestamp, String checkpointDir, boolean isSavepoint) {
    return mailbox.post(
        () -> checkpoints.trigger(checkpointId, timestamp, checkpointDir, isSavepoint));
  }

  /**
   * Tells the task a checkpoint completed: its source and sinks commit.
   *
   * @return false when the task has ended or is ending
   */
  public boolean notifyCheckpointComplete(long checkpointId) {
    return mailbox.post(() -> checkpoints.complete(checkpointId));
  }

  /**
   * Tells the task a checkpoint was aborted: an alignment of it stops; nothing is committed.
   *
   * @return false when the task has ended or is ending
   */
  public boolean notifyCheckpointAborted(long checkpointId) {
    return mailbox.post(() -> checkpoints.abort(checkpointId));
  }

  public ExecutionId executionId() {
    return executionId;
  }

  /** Starts the task's thread: DEPLOYING, then RUNNING once its chain is open. */
  public void start() {
    if (!lifecycle.compareAndSet(ExecutionState.CREATED, ExecutionState.DEPLOYING)) {
      LOG.info("{} ({}) not started: it is {}", taskNameWithSubtask, executionId, lifecycle.get());
      return;
    }
    thread.start();
  }

  /**
   * Asks the task to stop; it reports CANCELED when it has. Idempotent. A task not yet started is
   * canceled at once (and reports from the calling thread); a finished one stays finished.
   */
  public void cancel() {
    while (true) {
      ExecutionState current = lifecycle.get();
      if (TaskLifecycle.isTerminal(current) || current == ExecutionState.CANCELING) {
        return;
      }
      if (current == ExecutionState.CREATED) {
        if (lifecycle.compareAndSet(current, ExecutionState.CANCELED)) {
          LOG.info("{} ({}) canceled before it started", taskNameWithSubtask, executionId);
          lifecycle.notifyListener(ExecutionState.CANCELED, null);
          termination.complete(ExecutionState.CANCELED);
          return;
        }
      } else if (lifecycle.compareAndSet(current, ExecutionState.CANCELING)) {
        break;
      }
    }
    LOG.info(
        "Canceling {} ({}) of job {}: stopping its thread and releasing its partitions",
        taskNameWithSubtask,
        executionId,
        descriptor.jobId().value());
    thread.interrupt();
    // a thread blocked on a full output or in user code that ignores interrupts wakes up here
    CancellationException cause =
        new CancellationException("task " + taskNameWithSubtask + " was canceled");
    channels.releaseQuietly(cause, null);
  }

  public ExecutionState state() {
    return lifecycle.get();
  }

  /** Records and bytes in and out so far (safe to call from any thread). */
  public TaskIoCounters metrics() {
    return ioMetrics.snapshot();
  }

  /** Completes with FINISHED, CANCELED or FAILED once the task's thread has ended. */
  public CompletableFuture<ExecutionState> terminationFuture() {
    return termination;
  }

  /** True when the task's thread is inside System.exit: user code is ending the JVM. */
  public boolean isExitingJvm() {
    for (StackTraceElement frame : thread.getStackTrace()) {
      if (frame.getClassName().equals("java.lang.Runtime")
          && frame.getMethodName().equals("exit")) {
        return true;
      }
    }
    return false;
  }

  // ------------------------------------------------------------------ the task's thread

  private void run() {
    Thread.currentThread().setContextClassLoader(userClassLoader);
    // every line logged on this thread, the user's too, can name its job and task
    MDC.put("jobId", descriptor.jobId().value());
    MDC.put("task", taskNameWithSubtask);
    MDC.put("executionId", executionId.value());
    OperatorChain chain = null;
    Throwable failure = null;
    try {
      ChainSetup.Built built = setup.build();
      chain = built.chain();
      checkpoints.attach(chain);
      setup.restore(built);
      lifecycle.checkNotCanceled();
      chain.open();
      if (!lifecycle.compareAndSet(ExecutionState.DEPLOYING, ExecutionState.RUNNING)) {
        throw lifecycle.canceled();
      }
      LOG.info(
          "{} ({}) of job {} switched from DEPLOYING to RUNNING",
          taskNameWithSubtask,
          executionId,
          descriptor.jobId().value());
      lifecycle.notifyListener(ExecutionState.RUNNING, null);

      Optional<SourceOperator> source = chain.source();
      if (source.isPresent()) {
        sourceLoop.run(source.get(), chain);
      } else {
        inputLoop.run(built.readers(), chain);
      }
      LOG.info("{} ({}) reached the end of its input", taskNameWithSubtask, executionId);
      endOfInput(chain);
      channels.publishMetrics(chain);
      chain.close();
      channels.closeGates(null);
    } catch (Throwable t) {
      failure = t;
    }
    ExecutionState terminal = ExecutionState.FAILED;
    try {
      terminal = complete(failure, chain);
    } finally {
      MDC.clear();
      termination.complete(terminal);
    }
  }

  private void endOfInput(OperatorChain chain) throws Exception {
    lifecycle.checkNotCanceled();
    chain.endOfInput();
    channels.finishOutputs();
  }

  /** Decides the terminal state, cleans up and reports it. */
  private ExecutionState complete(Throwable failure, OperatorChain chain) {
    ExecutionState before = lifecycle.get();
    ExecutionState terminal = lifecycle.decideTerminalState(failure);
    // a cancel's interrupt must not disturb closing the user's code
    Thread.interrupted();
    if (terminal == ExecutionState.FINISHED) {
      LOG.info(
          "{} ({}) of job {} switched from RUNNING to FINISHED",
          taskNameWithSubtask,
          executionId,
          descriptor.jobId().value());
      lifecycle.notifyListener(ExecutionState.FINISHED, null);
      return terminal;
    }
    Throwable cause = failure == null ? lifecycle.canceled() : OperatorException.unwrap(failure);
    if (chain != null) {
      try {
        channels.publishMetrics(chain);
      } catch (RuntimeException e) {
        errors.record(
            terminal == ExecutionState.FAILED ? cause : null, "reading the last metrics", e);
      }
    }
    channels.releaseQuietly(cause, terminal == ExecutionState.FAILED ? cause : null);
    ChainSetup.closeChainQuietly(chain, terminal == ExecutionState.FAILED ? cause : null, errors);
    if (terminal == ExecutionState.CANCELED) {
      lifecycle.set(ExecutionState.CANCELED);
      LOG.info(
          "{} ({}) of job {} switched from CANCELING to CANCELED",
          taskNameWithSubtask,
          executionId,
          descriptor.jobId().value());
      lifecycle.notifyListener(ExecutionState.CANCELED, null);
    } else {
      LOG.warn(
          "{} ({}) of job {} switched from {} to FAILED; its outputs are released",
          taskNameWithSubtask,
          executionId,
          descriptor.jobId().value(),
          before,
          failure);
      lifecycle.notifyListener(ExecutionState.FAILED, cause);
    }
    return terminal;
  }
}
