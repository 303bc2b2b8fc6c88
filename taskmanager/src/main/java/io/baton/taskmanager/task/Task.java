package io.baton.taskmanager.task;

import io.baton.api.connector.InputStatus;
import io.baton.api.functions.KeySelector;
import io.baton.api.graph.JobEdge;
import io.baton.api.graph.JobVertex;
import io.baton.api.graph.Partitioning;
import io.baton.api.graph.TaskVertex;
import io.baton.common.config.CheckpointingOptions;
import io.baton.common.ids.ExecutionId;
import io.baton.common.rpc.InputGateDescriptor;
import io.baton.common.rpc.ResultPartitionDescriptor;
import io.baton.common.rpc.SubmitTaskRequest;
import io.baton.common.rpc.TaskMetrics;
import io.baton.common.rpc.TaskState;
import io.baton.common.serialization.RecordSerializer;
import io.baton.storage.FileStores;
import io.baton.storage.StoreFileSystemAccess;
import io.baton.taskmanager.network.BufferOrEvent;
import io.baton.taskmanager.network.InputGate;
import io.baton.taskmanager.network.ResultPartition;
import io.baton.taskmanager.operators.OperatorChain;
import io.baton.taskmanager.operators.OperatorException;
import io.baton.taskmanager.operators.Partitioner;
import io.baton.taskmanager.operators.RecordWriter;
import io.baton.taskmanager.operators.SourceOperator;
import io.baton.taskmanager.operators.SubtaskInfo;
import io.baton.taskmanager.state.HeapKeyedStateBackend;
import io.baton.taskmanager.state.KeyedStateSnapshot;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
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
 */
public final class Task {
  private static final Logger LOG = LoggerFactory.getLogger(Task.class);

  /** Longest pause of an idle source before it is polled again, so cancel is seen quickly. */
  private static final long MAX_SOURCE_IDLE_NANOS = 10_000_000L;

  /** Longest wait for input before the loop looks at cancel and the output timers again. */
  private static final Duration INPUT_WAIT = Duration.ofMillis(20);

  /** How often partly filled output buffers are checked against the buffer timeout. */
  private static final long FLUSH_CHECK_NANOS = 1_000_000L;

  private final TaskEnvironment environment;
  private final SubmitTaskRequest descriptor;
  private final ExecutionId executionId;
  private final String taskNameWithSubtask;
  private final LongSupplier nanoClock;
  private final Thread thread;
  private final AtomicReference<TaskState> state = new AtomicReference<>(TaskState.CREATED);
  private final CompletableFuture<TaskState> termination = new CompletableFuture<>();
  private final TaskIoMetrics ioMetrics;

  // written by the task's thread as they are created, read by cancel() to unblock the thread
  private final List<ResultPartition> partitions = new CopyOnWriteArrayList<>();
  private final List<InputGate> gates = new CopyOnWriteArrayList<>();

  /** Checkpoint actions from other threads, run by the task's thread between records. */
  private final ConcurrentLinkedQueue<Mail> mailbox = new ConcurrentLinkedQueue<>();

  private final CheckpointWriter checkpointWriter;
  private final boolean checkpointingEnabled;

  // task thread only
  private long lastFlushCheckNanos;
  private OperatorChain chain;
  private BarrierAligner aligner;
  private boolean sourceEnded;
  private long finalCheckpointId = -1;
  private boolean finalCheckpointCompleted;

  /** An action for the task's thread. */
  @FunctionalInterface
  private interface Mail {
    void run() throws Exception;
  }

  public Task(TaskEnvironment environment) {
    this(environment, System::nanoTime);
  }

  Task(TaskEnvironment environment, LongSupplier nanoClock) {
    this.environment = environment;
    this.descriptor = environment.descriptor();
    this.executionId = ExecutionId.parse(descriptor.getExecutionId());
    this.nanoClock = nanoClock;
    this.taskNameWithSubtask =
        descriptor.getVertexName()
            + " ("
            + (descriptor.getSubtaskIndex() + 1)
            + "/"
            + descriptor.getParallelism()
            + ")#"
            + descriptor.getAttemptNumber();
    this.ioMetrics = new TaskIoMetrics(executionId.value(), nanoClock);
    this.thread = new Thread(this::run, taskNameWithSubtask);
    this.checkpointWriter =
        new CheckpointWriter(
            new CheckpointWriter.TaskIdentity(
                descriptor.getJobId(),
                executionId.value(),
                descriptor.getVertexId(),
                descriptor.getSubtaskIndex(),
                descriptor.getParallelism(),
                taskNameWithSubtask),
            environment.fileStores(),
            environment.serializers(),
            environment.userClassLoader(),
            environment.ioExecutor(),
            environment.checkpointResponder(),
            nanoClock);
    String interval = descriptor.getJobConfigMap().get(CheckpointingOptions.INTERVAL.key());
    this.checkpointingEnabled = interval != null && !interval.isBlank();
  }

  /**
   * Asks a source task to take a checkpoint between two records: snapshot, barrier, write, ack.
   *
   * @return false when the task has ended or is ending (it takes no more checkpoints)
   */
  public boolean triggerCheckpoint(
      long checkpointId, long timestamp, String checkpointDir, boolean isSavepoint) {
    return post(() -> triggerOnTaskThread(checkpointId, timestamp, checkpointDir, isSavepoint));
  }

  /**
   * Tells the task a checkpoint completed: its source and sinks commit.
   *
   * @return false when the task has ended or is ending
   */
  public boolean notifyCheckpointComplete(long checkpointId) {
    return post(() -> completeOnTaskThread(checkpointId));
  }

  /**
   * Tells the task a checkpoint was aborted: an alignment of it stops; nothing is committed.
   *
   * @return false when the task has ended or is ending
   */
  public boolean notifyCheckpointAborted(long checkpointId) {
    return post(() -> abortOnTaskThread(checkpointId));
  }

  private boolean post(Mail mail) {
    TaskState current = state.get();
    if (isTerminal(current) || current == TaskState.CANCELING) {
      return false;
    }
    mailbox.add(mail);
    // an idle source parks: wake it so the action runs now
    LockSupport.unpark(thread);
    return true;
  }

  public ExecutionId executionId() {
    return executionId;
  }

  /** Starts the task's thread: DEPLOYING, then RUNNING once its chain is open. */
  public void start() {
    if (!state.compareAndSet(TaskState.CREATED, TaskState.DEPLOYING)) {
      LOG.info("{} ({}) not started: it is {}", taskNameWithSubtask, executionId, state.get());
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
      TaskState current = state.get();
      if (isTerminal(current) || current == TaskState.CANCELING) {
        return;
      }
      if (current == TaskState.CREATED) {
        if (state.compareAndSet(current, TaskState.CANCELED)) {
          LOG.info("{} ({}) canceled before it started", taskNameWithSubtask, executionId);
          notifyListener(TaskState.CANCELED, null);
          termination.complete(TaskState.CANCELED);
          return;
        }
      } else if (state.compareAndSet(current, TaskState.CANCELING)) {
        break;
      }
    }
    LOG.info(
        "Canceling {} ({}) of job {}: stopping its thread and releasing its partitions",
        taskNameWithSubtask,
        executionId,
        descriptor.getJobId());
    thread.interrupt();
    // a thread blocked on a full output or in user code that ignores interrupts wakes up here
    CancellationException cause =
        new CancellationException("task " + taskNameWithSubtask + " was canceled");
    releaseQuietly(cause, null);
  }

  public TaskState state() {
    return state.get();
  }

  /** Records and bytes in and out so far (safe to call from any thread). */
  public TaskMetrics metrics() {
    return ioMetrics.snapshot();
  }

  /** Completes with FINISHED, CANCELED or FAILED once the task's thread has ended. */
  public CompletableFuture<TaskState> terminationFuture() {
    return termination;
  }

  // ------------------------------------------------------------------ the task's thread

  private void run() {
    Thread.currentThread().setContextClassLoader(environment.userClassLoader());
    // every line logged on this thread, the user's too, can name its job and task
    MDC.put("jobId", descriptor.getJobId());
    MDC.put("task", taskNameWithSubtask);
    MDC.put("executionId", executionId.value());
    OperatorChain chain = null;
    Throwable failure = null;
    try {
      TaskVertex taskVertex =
          TaskVertexReader.read(
              descriptor.getSerializedVertex().toByteArray(), environment.userClassLoader());
      SubtaskInfo subtask = subtaskInfo(taskVertex.vertex());
      List<RecordWriter> writers = createOutputs(taskVertex, subtask);
      List<InputGateReader> readers = createInputs();
      chain = OperatorChain.create(taskVertex.vertex(), subtask, writers);
      this.chain = chain;
      if (descriptor.getRestoreStateCount() > 0) {
        new StateRestorer(
                environment.fileStores(),
                environment.serializers(),
                environment.userClassLoader(),
                taskNameWithSubtask)
            .restore(
                descriptor.getRestoreCheckpointId(),
                descriptor.getRestoreStateList(),
                chain,
                subtask.parallelism());
      }
      checkNotCanceled();
      chain.open();
      if (!state.compareAndSet(TaskState.DEPLOYING, TaskState.RUNNING)) {
        throw canceled();
      }
      LOG.info(
          "{} ({}) of job {} switched from DEPLOYING to RUNNING",
          taskNameWithSubtask,
          executionId,
          descriptor.getJobId());
      notifyListener(TaskState.RUNNING, null);

      Optional<SourceOperator> source = chain.source();
      if (source.isPresent()) {
        runSource(source.get(), chain);
      } else {
        runInputs(readers, chain);
      }
      LOG.info("{} ({}) reached the end of its input", taskNameWithSubtask, executionId);
      endOfInput(chain);
      publishMetrics(chain);
      chain.close();
      closeGates(null);
    } catch (Throwable t) {
      failure = t;
    }
    TaskState terminal = TaskState.FAILED;
    try {
      terminal = complete(failure, chain);
    } finally {
      MDC.clear();
      termination.complete(terminal);
    }
  }

  private SubtaskInfo subtaskInfo(JobVertex vertex) {
    return new SubtaskInfo(
        descriptor.getJobId(),
        descriptor.getVertexName().isEmpty() ? vertex.name() : descriptor.getVertexName(),
        descriptor.getSubtaskIndex(),
        descriptor.getParallelism() > 0 ? descriptor.getParallelism() : vertex.parallelism(),
        descriptor.getMaxParallelism() > 0
            ? descriptor.getMaxParallelism()
            : vertex.maxParallelism(),
        descriptor.getAttemptNumber(),
        new StoreFileSystemAccess(environment.fileStores()));
  }

  private List<RecordWriter> createOutputs(TaskVertex taskVertex, SubtaskInfo subtask) {
    List<RecordWriter> writers = new ArrayList<>();
    for (ResultPartitionDescriptor output : descriptor.getOutputsList()) {
      Optional<JobEdge> edge = taskVertex.output(output.getEdgeIndex());
      Partitioning partitioning = partitioningOf(output, edge);
      KeySelector<?, ?> keySelector = null;
      if (partitioning == Partitioning.HASH) {
        keySelector =
            edge.map(JobEdge::keySelector)
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "HASH output edge "
                                + output.getEdgeIndex()
                                + " of '"
                                + subtask.taskName()
                                + "' has no key selector: the deployed vertex lacks the edge"));
      }
      Partitioner partitioner =
          Partitioner.create(
              partitioning,
              subtask.subtaskIndex(),
              output.getNumberOfSubpartitions(),
              output.getTargetMaxParallelism(),
              keySelector);
      ResultPartition partition = environment.network().createResultPartition(output);
      partitions.add(partition);
      checkNotCanceled();
      writers.add(
          new RecordWriter(
              "output edge " + output.getEdgeIndex() + " to vertex " + output.getTargetVertexId(),
              partition,
              partitioner,
              serializers()));
    }
    return writers;
  }

  private static Partitioning partitioningOf(
      ResultPartitionDescriptor output, Optional<JobEdge> edge) {
    String name = output.getPartitioning();
    if (name.isEmpty()) {
      return edge.map(JobEdge::partitioning)
          .orElseThrow(
              () ->
                  new IllegalArgumentException(
                      "output edge " + output.getEdgeIndex() + " names no partitioning"));
    }
    try {
      return Partitioning.valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "output edge " + output.getEdgeIndex() + " has unknown partitioning '" + name + "'");
    }
  }

  private List<InputGateReader> createInputs() {
    List<InputGateReader> readers = new ArrayList<>();
    for (InputGateDescriptor input : descriptor.getInputsList()) {
      InputGate gate = environment.network().createInputGate(input, executionId.value());
      gates.add(gate);
      checkNotCanceled();
      readers.add(new InputGateReader(readers.size(), gate, serializers()));
    }
    for (InputGateReader reader : readers) {
      reader.gate().requestPartitions();
    }
    return readers;
  }

  private Supplier<RecordSerializer> serializers() {
    RecordSerializerFactory factory = environment.serializers();
    ClassLoader classLoader = environment.userClassLoader();
    return () -> factory.create(classLoader);
  }

  private void runSource(SourceOperator source, OperatorChain chain) throws Exception {
    while (true) {
      checkNotCanceled();
      processMail();
      if (sourceEnded) {
        if (finalCheckpointCompleted) {
          return;
        }
        // every record is out; wait for the checkpoint that covers them to complete
        flushAll();
        publishMetrics(chain);
        LockSupport.parkNanos(this, MAX_SOURCE_IDLE_NANOS);
        continue;
      }
      InputStatus status = source.pollNext();
      if (status == InputStatus.END_OF_INPUT) {
        if (!checkpointingEnabled) {
          return;
        }
        sourceEnded = true;
        LOG.info(
            "{} ({}): the source reached the end of its input; the task ends once the next"
                + " checkpoint completes",
            taskNameWithSubtask,
            executionId);
        continue;
      }
      if (status == InputStatus.NOTHING_AVAILABLE) {
        // nothing lingers in a half-full buffer while the source idles
        flushAll();
        publishMetrics(chain);
        long pause = Math.min(source.nanosUntilAvailable(), MAX_SOURCE_IDLE_NANOS);
        if (pause > 0) {
          checkNotCanceled();
          LockSupport.parkNanos(this, pause);
        }
      } else {
        flushIfDue(chain);
      }
    }
  }

  private void runInputs(List<InputGateReader> readers, OperatorChain chain) throws Exception {
    aligner = new BarrierAligner(readers, this::alignedCheckpoint, nanoClock, taskNameWithSubtask);
    List<InputGateReader> open = new ArrayList<>(readers);
    open.removeIf(InputGateReader::isFinished);
    int next = 0;
    int emptyPolls = 0;
    while (!open.isEmpty()) {
      checkNotCanceled();
      processMail();
      next %= open.size();
      InputGateReader reader = open.get(next);
      // look at every input once without waiting before waiting on one
      boolean mayWait = emptyPolls >= open.size();
      if (mayWait) {
        flushAll();
        publishMetrics(chain);
      }
      Optional<BufferOrEvent> polled = reader.gate().pollNext(mayWait ? INPUT_WAIT : Duration.ZERO);
      if (polled.isEmpty()) {
        emptyPolls++;
        next++;
        continue;
      }
      emptyPolls = 0;
      if (handle(reader, polled.get(), chain)) {
        LOG.info("{} ({}): input {} ended", taskNameWithSubtask, executionId, reader.index());
        open.remove(reader);
      } else {
        // round robin: one buffer at a time per input, so no input starves another
        next++;
      }
      flushIfDue(chain);
    }
  }

  /**
   * Handles one buffer or event of an input.
   *
   * @return true when the input has ended
   */
  private boolean handle(InputGateReader reader, BufferOrEvent next, OperatorChain chain)
      throws Exception {
    if (next instanceof BufferOrEvent.Records records) {
      reader.read(records, chain.input());
      return false;
    }
    if (next instanceof BufferOrEvent.Barrier barrier) {
      handleBarrier(reader, barrier);
      return false;
    }
    BufferOrEvent.EndOfPartition end = (BufferOrEvent.EndOfPartition) next;
    LOG.debug(
        "{} ({}): channel {} of input {} ended",
        taskNameWithSubtask,
        executionId,
        end.channel(),
        reader.index());
    boolean ended = reader.endOfPartition(end.channel());
    aligner.onChannelEnded();
    return ended;
  }

  private void handleBarrier(InputGateReader reader, BufferOrEvent.Barrier barrier)
      throws Exception {
    aligner.onBarrier(reader, barrier);
  }

  // ------------------------------------------------------------------ checkpoints (task thread)

  private void processMail() throws Exception {
    Mail mail;
    while ((mail = mailbox.poll()) != null) {
      mail.run();
    }
  }

  private void triggerOnTaskThread(
      long checkpointId, long timestamp, String checkpointDir, boolean isSavepoint)
      throws InterruptedException {
    if (chain == null || chain.source().isEmpty()) {
      checkpointWriter.decline(
          checkpointId, "it is not a source task; checkpoints reach it through barriers");
      return;
    }
    URI directory;
    try {
      directory = FileStores.toUri(checkpointDir);
    } catch (IllegalArgumentException e) {
      checkpointWriter.decline(checkpointId, "bad checkpoint directory: " + e.getMessage());
      return;
    }
    LOG.info(
        "{} ({}): triggering {} {} into {}",
        taskNameWithSubtask,
        executionId,
        isSavepoint ? "savepoint" : "checkpoint",
        checkpointId,
        directory);
    if (sourceEnded) {
      finalCheckpointId = checkpointId;
    }
    checkpoint(checkpointId, timestamp, directory, 0);
  }

  /**
   * Every channel delivered the barrier: snapshot and forward it. The state goes to the directory
   * the barrier names (the one the sources were given), else to the checkpoint's directory under
   * the configured {@code state.checkpoints.dir}.
   */
  private void alignedCheckpoint(
      long checkpointId, long timestamp, String checkpointDir, long alignmentNanos)
      throws InterruptedException {
    URI directory = null;
    try {
      directory =
          checkpointDir.isEmpty()
              ? checkpointDirectory(checkpointId)
              : FileStores.toUri(checkpointDir);
    } catch (IllegalArgumentException e) {
      checkpointWriter.decline(checkpointId, e.getMessage());
    }
    if (directory == null) {
      // the checkpoint fails, but the tasks downstream must not wait for this barrier forever
      broadcastBarrier(checkpointId, timestamp, checkpointDir);
      return;
    }
    checkpoint(checkpointId, timestamp, directory, alignmentNanos);
  }

  /**
   * The directory of a checkpoint whose barrier named none: {@code
   * <state.checkpoints.dir>/<jobId>/chk-<id>}, the directory of the job's configuration first.
   */
  private URI checkpointDirectory(long checkpointId) {
    String key = CheckpointingOptions.CHECKPOINTS_DIRECTORY.key();
    String base = descriptor.getJobConfigMap().get(key);
    if (base == null || base.isBlank()) {
      base = environment.configuration().getString(key).orElse(null);
    }
    if (base == null || base.isBlank()) {
      throw new IllegalArgumentException(
          "no " + key + " in the job's or the TaskManager's configuration");
    }
    URI root = FileStores.toUri(base);
    return CheckpointWriter.resolve(
        CheckpointWriter.resolve(root, descriptor.getJobId()), "chk-" + checkpointId);
  }

  /** Cuts the chain's state, forwards the barrier, and writes the cut in the background. */
  private void checkpoint(long checkpointId, long timestamp, URI directory, long alignmentNanos)
      throws InterruptedException {
    long start = nanoClock.getAsLong();
    CheckpointCut cut = null;
    try {
      KeyedStateSnapshot keyed =
          chain.keyedState().map(HeapKeyedStateBackend::snapshot).orElse(null);
      cut =
          new CheckpointCut(
              checkpointId,
              directory,
              keyed,
              chain.keyedOperatorUid().orElse(null),
              chain.snapshotOperatorState(checkpointId),
              (nanoClock.getAsLong() - start) / 1_000_000L,
              alignmentNanos / 1_000_000L);
    } catch (Exception e) {
      checkpointWriter.decline(checkpointId, "its snapshot failed: " + e);
    }
    broadcastBarrier(checkpointId, timestamp, directory.toString());
    if (cut != null) {
      checkpointWriter.writeAsync(cut);
    }
  }

  private void broadcastBarrier(long checkpointId, long timestamp, String checkpointDir)
      throws InterruptedException {
    for (ResultPartition partition : partitions) {
      partition.broadcastBarrier(checkpointId, timestamp, checkpointDir);
    }
  }

  private void completeOnTaskThread(long checkpointId) throws Exception {
    if (chain == null) {
      return;
    }
    LOG.info(
        "{} ({}): checkpoint {} completed; committing",
        taskNameWithSubtask,
        executionId,
        checkpointId);
    chain.notifyCheckpointComplete(checkpointId);
    if (sourceEnded && finalCheckpointId != -1 && checkpointId >= finalCheckpointId) {
      finalCheckpointCompleted = true;
    }
  }

  private void abortOnTaskThread(long checkpointId) {
    LOG.info("{} ({}): checkpoint {} was aborted", taskNameWithSubtask, executionId, checkpointId);
    if (aligner != null) {
      aligner.abort(checkpointId);
    }
    if (finalCheckpointId == checkpointId) {
      // the end must be covered by a later checkpoint
      finalCheckpointId = -1;
    }
  }

  private void endOfInput(OperatorChain chain) throws Exception {
    checkNotCanceled();
    chain.endOfInput();
    for (ResultPartition partition : partitions) {
      partition.finish();
    }
  }

  private void flushIfDue(OperatorChain chain) throws InterruptedException {
    long now = nanoClock.getAsLong();
    if (now - lastFlushCheckNanos >= FLUSH_CHECK_NANOS) {
      lastFlushCheckNanos = now;
      for (ResultPartition partition : partitions) {
        partition.flushIfDue();
      }
      publishMetrics(chain);
    }
  }

  private void flushAll() throws InterruptedException {
    for (ResultPartition partition : partitions) {
      partition.flushAll();
    }
  }

  private void publishMetrics(OperatorChain chain) {
    long recordsOut = chain.recordsWritten();
    long bytesOut = 0;
    long backpressured = 0;
    for (ResultPartition partition : partitions) {
      recordsOut += partition.recordsOut();
      bytesOut += partition.bytesOut();
      backpressured += partition.backpressuredNanos();
    }
    long bytesIn = 0;
    for (InputGate gate : gates) {
      bytesIn += gate.bytesIn();
    }
    ioMetrics.publish(chain.recordsIn(), recordsOut, bytesIn, bytesOut, backpressured);
  }

  private void checkNotCanceled() {
    if (state.get() == TaskState.CANCELING) {
      throw canceled();
    }
  }

  private CancellationException canceled() {
    return new CancellationException("task " + taskNameWithSubtask + " was canceled");
  }

  /** Decides the terminal state, cleans up and reports it. */
  private TaskState complete(Throwable failure, OperatorChain chain) {
    TaskState before = state.get();
    TaskState terminal = decideTerminalState(failure);
    // a cancel's interrupt must not disturb closing the user's code
    Thread.interrupted();
    if (terminal == TaskState.FINISHED) {
      LOG.info(
          "{} ({}) of job {} switched from RUNNING to FINISHED",
          taskNameWithSubtask,
          executionId,
          descriptor.getJobId());
      notifyListener(TaskState.FINISHED, null);
      return terminal;
    }
    Throwable cause = failure == null ? canceled() : OperatorException.unwrap(failure);
    if (chain != null) {
      try {
        publishMetrics(chain);
      } catch (RuntimeException e) {
        secondary(terminal == TaskState.FAILED ? cause : null, "reading the last metrics", e);
      }
    }
    releaseQuietly(cause, terminal == TaskState.FAILED ? cause : null);
    closeChainQuietly(chain, terminal == TaskState.FAILED ? cause : null);
    if (terminal == TaskState.CANCELED) {
      state.set(TaskState.CANCELED);
      LOG.info(
          "{} ({}) of job {} switched from CANCELING to CANCELED",
          taskNameWithSubtask,
          executionId,
          descriptor.getJobId());
      notifyListener(TaskState.CANCELED, null);
    } else {
      LOG.warn(
          "{} ({}) of job {} switched from {} to FAILED; its outputs are released",
          taskNameWithSubtask,
          executionId,
          descriptor.getJobId(),
          before,
          failure);
      notifyListener(TaskState.FAILED, cause);
    }
    return terminal;
  }

  private TaskState decideTerminalState(Throwable failure) {
    TaskState wanted = failure == null ? TaskState.FINISHED : TaskState.FAILED;
    while (true) {
      TaskState current = state.get();
      if (current == TaskState.CANCELING) {
        // a cancel wins over whatever the task was doing, also over a failure it caused
        return TaskState.CANCELED;
      }
      if (state.compareAndSet(current, wanted)) {
        return wanted;
      }
    }
  }

  /** Releases outputs and closes inputs; errors go to {@code failure} when given, else the log. */
  private void releaseQuietly(Throwable cause, Throwable failure) {
    for (ResultPartition partition : partitions) {
      try {
        partition.release(cause);
      } catch (RuntimeException e) {
        secondary(failure, "releasing partition " + partition.id(), e);
      }
    }
    closeGates(failure);
  }

  private void closeGates(Throwable failure) {
    for (InputGate gate : gates) {
      try {
        gate.close();
      } catch (RuntimeException e) {
        secondary(failure, "closing an input gate", e);
      }
    }
  }

  private void closeChainQuietly(OperatorChain chain, Throwable failure) {
    if (chain == null) {
      return;
    }
    try {
      chain.close();
    } catch (Exception e) {
      secondary(failure, "closing the operators", e);
    }
  }

  private void secondary(Throwable failure, String what, Exception e) {
    if (failure != null && failure != e) {
      failure.addSuppressed(e);
    } else {
      LOG.warn("{} ({}): error while {}", taskNameWithSubtask, executionId, what, e);
    }
  }

  private void notifyListener(TaskState newState, Throwable cause) {
    try {
      environment.listener().stateChanged(executionId, newState, cause);
    } catch (RuntimeException e) {
      LOG.error(
          "{} ({}): the task listener failed on {}", taskNameWithSubtask, executionId, newState, e);
    }
  }

  private static boolean isTerminal(TaskState state) {
    return state == TaskState.FINISHED || state == TaskState.CANCELED || state == TaskState.FAILED;
  }
}
