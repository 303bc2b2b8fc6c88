package io.baton.taskmanager.task;

import io.baton.api.connector.InputStatus;
import io.baton.common.ids.ExecutionId;
import io.baton.taskmanager.operators.OperatorChain;
import io.baton.taskmanager.operators.SourceOperator;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main loop of a source task, on the task's thread: polls the source one step at a time and
 * runs the mailbox between steps. With checkpointing on, a bounded source ends only after the
 * checkpoint that covers its last records has completed.
 */
final class SourceLoop {
  // logged under Task's name: every line about a task stays in one log category
  private static final Logger LOG = LoggerFactory.getLogger(Task.class);

  /**
   * Longest pause of an idle source before it is polled again. The reader says when its next record
   * is due; a mail unparks the thread and a cancel interrupts it, so the bound only caps what a
   * reader asks for. A short bound woke a thousand idle sources a hundred times a second each.
   */
  private static final long MAX_SOURCE_IDLE_NANOS = 1_000_000_000L;

  private final TaskLifecycle lifecycle;
  private final TaskMailbox mailbox;
  private final TaskCheckpoints checkpoints;
  private final TaskChannels channels;
  private final boolean checkpointingEnabled;
  private final ExecutionId executionId;
  private final String taskNameWithSubtask;

  SourceLoop(
      TaskLifecycle lifecycle,
      TaskMailbox mailbox,
      TaskCheckpoints checkpoints,
      TaskChannels channels,
      boolean checkpointingEnabled,
      ExecutionId executionId,
      String taskNameWithSubtask) {
    this.lifecycle = lifecycle;
    this.mailbox = mailbox;
    this.checkpoints = checkpoints;
    this.channels = channels;
    this.checkpointingEnabled = checkpointingEnabled;
    this.executionId = executionId;
    this.taskNameWithSubtask = taskNameWithSubtask;
  }

  /** Runs until the source's input ended (and, with checkpointing, its final checkpoint). */
  void run(SourceOperator source, OperatorChain chain) throws Exception {
    while (true) {
      lifecycle.checkNotCanceled();
      mailbox.processMail();
      if (checkpoints.isSourceEnded()) {
        if (checkpoints.isFinalCheckpointCompleted()) {
          return;
        }
        // every record is out; wait for the checkpoint that covers them to complete
        channels.flushAll();
        channels.publishMetrics(chain);
        LockSupport.parkNanos(this, MAX_SOURCE_IDLE_NANOS);
        continue;
      }
      InputStatus status = source.pollNext();
      if (status == InputStatus.END_OF_INPUT) {
        if (!checkpointingEnabled) {
          return;
        }
        checkpoints.sourceEnded();
        LOG.info(
            "{} ({}): the source reached the end of its input; the task ends once the next"
                + " checkpoint completes",
            taskNameWithSubtask,
            executionId);
        continue;
      }
      if (status == InputStatus.NOTHING_AVAILABLE) {
        // nothing lingers in a half-full buffer while the source idles
        channels.flushAll();
        channels.publishMetrics(chain);
        long pause = Math.min(source.nanosUntilAvailable(), MAX_SOURCE_IDLE_NANOS);
        if (pause > 0) {
          lifecycle.checkNotCanceled();
          LockSupport.parkNanos(this, pause);
        }
      } else {
        channels.flushIfDue(chain);
      }
    }
  }
}
