package io.baton.taskmanager.network;

import java.time.Duration;
import java.util.Optional;

/**
 * One input of a task: the channels from every producing subtask of one incoming edge. Read only by
 * the consuming task's thread. Handing out a {@link BufferOrEvent.Records}, a {@link
 * BufferOrEvent.ObjectBatch} or a barrier gives its credit back to the producer, so at most {@code
 * taskmanager.network.buffers-per-channel} buffers or batches per channel are ever in flight.
 */
public interface InputGate extends AutoCloseable {

  int numberOfChannels();

  /** Starts requesting the partitions from the producers (retrying while they are not yet up). */
  void requestPartitions();

  /**
   * The next buffer or event from any unblocked channel, waiting at most {@code timeout}.
   *
   * @return empty when nothing arrived in time
   * @throws java.io.IOException when a channel failed (producer gone, connection lost)
   */
  Optional<BufferOrEvent> pollNext(Duration timeout)
      throws java.io.IOException, InterruptedException;

  /**
   * Makes the {@link #pollNext} waiting now, or else the next one, return empty at once. Called by
   * any thread with work for the task (a mail), so an idle task can wait long without polling.
   */
  void wakeUp();

  /** Stops handing out data of a channel until {@link #unblockAll} (barrier alignment). */
  void blockChannel(int channel);

  void unblockAll();

  /** True once every channel delivered END_OF_PARTITION. */
  boolean isFinished();

  long bytesIn();

  /** Releases buffers and closes streams. Idempotent. */
  @Override
  void close();
}
