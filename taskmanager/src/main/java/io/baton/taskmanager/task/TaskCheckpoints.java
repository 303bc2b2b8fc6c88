package io.baton.taskmanager.task;

import io.baton.common.config.CheckpointingOptions;
import io.baton.common.config.Configuration;
import io.baton.common.deployment.TaskDeployment;
import io.baton.common.ids.ExecutionId;
import io.baton.storage.FileStores;
import io.baton.taskmanager.operators.OperatorChain;
import io.baton.taskmanager.state.HeapKeyedStateBackend;
import io.baton.taskmanager.state.KeyedStateSnapshot;
import java.net.URI;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoint side of one task, run on the task's thread only: triggers (sources), aligned
 * barriers (tasks with inputs), completion and abort notifications, and the final checkpoint a
 * bounded source waits for before it ends.
 */
final class TaskCheckpoints {
  // logged under Task's name: every line about a task stays in one log category
  private static final Logger LOG = LoggerFactory.getLogger(Task.class);

  private final TaskDeployment descriptor;
  private final Configuration configuration;
  private final ExecutionId executionId;
  private final String taskNameWithSubtask;
  private final LongSupplier nanoClock;
  private final CheckpointWriter checkpointWriter;
  private final TaskChannels channels;

  // task thread only
  private OperatorChain chain;
  private BarrierAligner aligner;
  private boolean sourceEnded;
  private long finalCheckpointId = -1;
  private boolean finalCheckpointCompleted;

  TaskCheckpoints(
      TaskDeployment descriptor,
      Configuration configuration,
      ExecutionId executionId,
      String taskNameWithSubtask,
      LongSupplier nanoClock,
      CheckpointWriter checkpointWriter,
      TaskChannels channels) {
    this.descriptor = descriptor;
    this.configuration = configuration;
    this.executionId = executionId;
    this.taskNameWithSubtask = taskNameWithSubtask;
    this.nanoClock = nanoClock;
    this.checkpointWriter = checkpointWriter;
    this.channels = channels;
  }

  /** The chain whose state checkpoints cut; until it is set, triggers are declined. */
  void attach(OperatorChain chain) {
    this.chain = chain;
  }

  /** The aligner of a task with inputs; it calls back when a checkpoint's barriers are aligned. */
  BarrierAligner createAligner(List<InputGateReader> readers) {
    aligner = new BarrierAligner(readers, this::alignedCheckpoint, nanoClock, taskNameWithSubtask);
    return aligner;
  }

  /**
   * The source's reader reached its end: the next checkpoint is its final one, and the coordinator
   * is told so that it need not wait for the next interval.
   */
  void sourceEnded() {
    sourceEnded = true;
    checkpointWriter.endOfData();
  }

  boolean isSourceEnded() {
    return sourceEnded;
  }

  /** True once a checkpoint taken after the source ended has completed: the source may end. */
  boolean isFinalCheckpointCompleted() {
    return finalCheckpointCompleted;
  }

  void trigger(long checkpointId, long timestamp, String checkpointDir, boolean isSavepoint)
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
      channels.broadcastBarrier(checkpointId, timestamp, checkpointDir);
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
    String base = descriptor.jobConfig().get(key);
    if (base == null || base.isBlank()) {
      base = configuration.getString(key).orElse(null);
    }
    if (base == null || base.isBlank()) {
      throw new IllegalArgumentException(
          "no " + key + " in the job's or the TaskManager's configuration");
    }
    URI root = FileStores.toUri(base);
    return CheckpointWriter.resolve(
        CheckpointWriter.resolve(root, descriptor.jobId().value()), "chk-" + checkpointId);
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
    channels.broadcastBarrier(checkpointId, timestamp, directory.toString());
    if (cut != null) {
      checkpointWriter.writeAsync(cut);
    }
  }

  void complete(long checkpointId) throws Exception {
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

  void abort(long checkpointId) {
    LOG.info("{} ({}): checkpoint {} was aborted", taskNameWithSubtask, executionId, checkpointId);
    if (aligner != null) {
      aligner.abort(checkpointId);
    }
    if (finalCheckpointId == checkpointId) {
      // the end must be covered by a later checkpoint
      finalCheckpointId = -1;
    }
  }
}
