package io.baton.taskmanager.task;

import io.baton.common.ids.ExecutionId;
import io.baton.taskmanager.network.BufferOrEvent;
import io.baton.taskmanager.operators.OperatorChain;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main loop of a task with inputs, on the task's thread: reads its input gates round robin, one
 * buffer or event at a time, hands records to the chain and barriers to the aligner, and runs the
 * mailbox between buffers.
 */
final class InputLoop {
  // logged under Task's name: every line about a task stays in one log category
  private static final Logger LOG = LoggerFactory.getLogger(Task.class);

  /** Longest wait for input before the loop looks at cancel and the output timers again. */
  /**
   * How long a task with one input waits for it when idle. A mail (checkpoint notifications) wakes
   * it, data wakes it, a cancel interrupts it: the bound only keeps a missed wake-up short. Polling
   * instead cost an idle TaskManager of a thousand tasks half a core.
   */
  private static final Duration IDLE_WAIT = Duration.ofSeconds(1);

  /**
   * With several inputs the task waits on one at a time, so it looks at the others this often while
   * all are idle.
   */
  private static final Duration IDLE_WAIT_PER_INPUT = Duration.ofMillis(20);

  private final TaskLifecycle lifecycle;
  private final TaskMailbox mailbox;
  private final TaskCheckpoints checkpoints;
  private final TaskChannels channels;
  private final ExecutionId executionId;
  private final String taskNameWithSubtask;

  InputLoop(
      TaskLifecycle lifecycle,
      TaskMailbox mailbox,
      TaskCheckpoints checkpoints,
      TaskChannels channels,
      ExecutionId executionId,
      String taskNameWithSubtask) {
    this.lifecycle = lifecycle;
    this.mailbox = mailbox;
    this.checkpoints = checkpoints;
    this.channels = channels;
    this.executionId = executionId;
    this.taskNameWithSubtask = taskNameWithSubtask;
  }

  /** Runs until every input has ended. */
  void run(List<InputGateReader> readers, OperatorChain chain) throws Exception {
    BarrierAligner aligner = checkpoints.createAligner(readers);
    List<InputGateReader> open = new ArrayList<>(readers);
    open.removeIf(InputGateReader::isFinished);
    mailbox.wakeInputsWith(
        () -> {
          for (InputGateReader reader : readers) {
            reader.gate().wakeUp();
          }
        });
    int next = 0;
    int emptyPolls = 0;
    while (!open.isEmpty()) {
      lifecycle.checkNotCanceled();
      mailbox.processMail();
      next %= open.size();
      InputGateReader reader = open.get(next);
      // look at every input once without waiting before waiting on one
      boolean mayWait = emptyPolls >= open.size();
      if (mayWait) {
        channels.flushAll();
        channels.publishMetrics(chain);
      }
      Optional<BufferOrEvent> polled =
          reader.gate().pollNext(mayWait ? idleWait(open.size()) : Duration.ZERO);
      if (polled.isEmpty()) {
        emptyPolls++;
        next++;
        continue;
      }
      emptyPolls = 0;
      if (handle(reader, polled.get(), chain, aligner)) {
        LOG.info("{} ({}): input {} ended", taskNameWithSubtask, executionId, reader.index());
        open.remove(reader);
      } else {
        // round robin: one buffer at a time per input, so no input starves another
        next++;
      }
      channels.flushIfDue(chain);
    }
  }

  private static Duration idleWait(int openInputs) {
    return openInputs == 1 ? IDLE_WAIT : IDLE_WAIT_PER_INPUT;
  }

  /**
   * Handles one buffer or event of an input.
   *
   * @return true when the input has ended
   */
  private boolean handle(
      InputGateReader reader, BufferOrEvent next, OperatorChain chain, BarrierAligner aligner)
      throws Exception {
    if (next instanceof BufferOrEvent.Records records) {
      reader.read(records, chain.input());
      return false;
    }
    if (next instanceof BufferOrEvent.ObjectBatch batch) {
      reader.read(batch, chain.input());
      return false;
    }
    if (next instanceof BufferOrEvent.Barrier barrier) {
      aligner.onBarrier(reader, barrier);
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
}
