package io.baton.taskmanager.task;

import io.baton.taskmanager.network.BufferOrEvent;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aligns checkpoint barriers across every channel of every input gate of a task: after a barrier on
 * a channel, that channel is blocked (its records belong after the checkpoint) until the barrier
 * came on every channel still open; then all channels are unblocked and the task snapshots. A
 * barrier of a newer checkpoint, or an abort, gives up the alignment in progress. Used only by the
 * task's thread.
 */
final class BarrierAligner {
  private static final Logger LOG = LoggerFactory.getLogger(BarrierAligner.class);

  /** What happens once a checkpoint's barriers are aligned. */
  @FunctionalInterface
  interface Aligned {
    void aligned(long checkpointId, long timestamp, String checkpointDir, long alignmentNanos)
        throws Exception;
  }

  private final List<InputGateReader> readers;
  private final Aligned target;
  private final LongSupplier nanoClock;
  private final String taskName;
  private final Set<Long> received = new HashSet<>();

  private long pendingCheckpointId = -1;
  private long pendingTimestamp;
  private String pendingDir = "";
  private long alignmentStartNanos;

  /** Barriers of this checkpoint and older ones are stale: done, aborted or given up. */
  private long latestDone = -1;

  BarrierAligner(
      List<InputGateReader> readers, Aligned target, LongSupplier nanoClock, String taskName) {
    this.readers = readers;
    this.target = target;
    this.nanoClock = nanoClock;
    this.taskName = taskName;
  }

  /** The checkpoint being aligned, or -1. */
  long pendingCheckpointId() {
    return pendingCheckpointId;
  }

  void onBarrier(InputGateReader reader, BufferOrEvent.Barrier barrier) throws Exception {
    long id = barrier.checkpointId();
    if (id <= latestDone || (pendingCheckpointId != -1 && id < pendingCheckpointId)) {
      LOG.debug(
          "{}: ignoring stale barrier of checkpoint {} on channel {} of input {}",
          taskName,
          id,
          barrier.channel(),
          reader.index());
      return;
    }
    if (pendingCheckpointId != -1 && id > pendingCheckpointId) {
      LOG.warn(
          "{}: barrier of checkpoint {} arrived while checkpoint {} was aligning; giving up"
              + " checkpoint {}",
          taskName,
          id,
          pendingCheckpointId,
          pendingCheckpointId);
      giveUp();
    }
    if (pendingCheckpointId == -1) {
      pendingCheckpointId = id;
      pendingTimestamp = barrier.timestamp();
      pendingDir = barrier.checkpointDir();
      alignmentStartNanos = nanoClock.getAsLong();
      LOG.debug("{}: aligning barriers of checkpoint {}", taskName, id);
    }
    received.add(key(reader.index(), barrier.channel()));
    reader.gate().blockChannel(barrier.channel());
    completeIfAligned();
  }

  /** A channel ended: it no longer holds up an alignment. */
  void onChannelEnded() throws Exception {
    if (pendingCheckpointId != -1) {
      completeIfAligned();
    }
  }

  /** The checkpoint was aborted: stop aligning it, and ignore its barriers from now on. */
  void abort(long checkpointId) {
    if (pendingCheckpointId == checkpointId) {
      LOG.info(
          "{}: checkpoint {} was aborted during alignment; unblocking the inputs",
          taskName,
          checkpointId);
      giveUp();
    }
    latestDone = Math.max(latestDone, checkpointId);
  }

  private void completeIfAligned() throws Exception {
    for (InputGateReader reader : readers) {
      for (int channel = 0; channel < reader.gate().numberOfChannels(); channel++) {
        if (!reader.isChannelEnded(channel) && !received.contains(key(reader.index(), channel))) {
          return;
        }
      }
    }
    long checkpointId = pendingCheckpointId;
    long alignmentNanos = nanoClock.getAsLong() - alignmentStartNanos;
    giveUp();
    target.aligned(checkpointId, pendingTimestamp, pendingDir, alignmentNanos);
  }

  private void giveUp() {
    for (InputGateReader reader : readers) {
      reader.gate().unblockAll();
    }
    latestDone = Math.max(latestDone, pendingCheckpointId);
    pendingCheckpointId = -1;
    received.clear();
  }

  private static long key(int input, int channel) {
    return ((long) input << 32) | (channel & 0xffffffffL);
  }
}
