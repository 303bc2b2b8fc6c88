package io.baton.taskmanager.network;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link InputGate} over local and remote channels. Channels put what they receive into a queue
 * per channel (never more than their credit); the task takes from the queues round robin, skipping
 * blocked channels, and every buffer or barrier it takes gives its channel one credit back.
 */
final class CreditBasedInputGate implements InputGate {
  private static final Logger LOG = LoggerFactory.getLogger(CreditBasedInputGate.class);

  /** Creates the channel at a position of the gate. */
  @FunctionalInterface
  interface ChannelFactory {
    InputChannel create(int index, InputChannelListener listener);
  }

  private final String consumerExecutionId;
  private final List<InputChannel> channels;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();

  // guarded by lock
  private final List<ArrayDeque<BufferOrEvent>> queues;
  private final boolean[] blocked;
  private final boolean[] endReceived;
  private final int[] maxQueued;
  private int finishedChannels;
  private int nextChannel;
  private IOException failure;
  private boolean requested;
  private boolean closed;
  private boolean wakeUpRequested;

  // written only by the consuming task's thread
  private volatile long bytesIn;

  CreditBasedInputGate(String consumerExecutionId, int numberOfChannels, ChannelFactory factory) {
    this.consumerExecutionId = consumerExecutionId;
    this.queues = new ArrayList<>(numberOfChannels);
    this.blocked = new boolean[numberOfChannels];
    this.endReceived = new boolean[numberOfChannels];
    this.maxQueued = new int[numberOfChannels];
    List<InputChannel> created = new ArrayList<>(numberOfChannels);
    InputChannelListener listener = new Listener();
    for (int i = 0; i < numberOfChannels; i++) {
      queues.add(new ArrayDeque<>());
      created.add(factory.create(i, listener));
    }
    this.channels = List.copyOf(created);
  }

  @Override
  public int numberOfChannels() {
    return channels.size();
  }

  @Override
  public void requestPartitions() {
    lock.lock();
    try {
      if (requested || closed) {
        return;
      }
      requested = true;
    } finally {
      lock.unlock();
    }
    channels.forEach(InputChannel::request);
  }

  @Override
  public Optional<BufferOrEvent> pollNext(Duration timeout)
      throws IOException, InterruptedException {
    long remainingNanos = timeout.toNanos();
    BufferOrEvent next;
    lock.lockInterruptibly();
    try {
      while (true) {
        if (failure != null) {
          throw failure;
        }
        if (closed) {
          throw new IOException("the input gate of " + consumerExecutionId + " is closed");
        }
        int channel = nextAvailableChannel();
        if (channel >= 0) {
          next = queues.get(channel).poll();
          break;
        }
        if (finishedChannels == channels.size() || remainingNanos <= 0 || wakeUpRequested) {
          wakeUpRequested = false;
          return Optional.empty();
        }
        remainingNanos = changed.awaitNanos(remainingNanos);
      }
      if (next instanceof BufferOrEvent.EndOfPartition end) {
        finishedChannels++;
        LOG.debug(
            "{} read the end of channel {} ({} of {} channels done)",
            consumerExecutionId,
            end.channel(),
            finishedChannels,
            channels.size());
      }
    } finally {
      lock.unlock();
    }
    if (next instanceof BufferOrEvent.Records records) {
      bytesIn += records.data().remaining();
    }
    if (!(next instanceof BufferOrEvent.EndOfPartition)) {
      channels.get(next.channel()).onConsumed();
    }
    return Optional.of(next);
  }

  @Override
  public void wakeUp() {
    lock.lock();
    try {
      wakeUpRequested = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void blockChannel(int channel) {
    lock.lock();
    try {
      blocked[channel] = true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void unblockAll() {
    lock.lock();
    try {
      java.util.Arrays.fill(blocked, false);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean isFinished() {
    lock.lock();
    try {
      return finishedChannels == channels.size();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public long bytesIn() {
    return bytesIn;
  }

  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      queues.forEach(ArrayDeque::clear);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    channels.forEach(InputChannel::close);
    LOG.debug("Closed the input gate of {}", consumerExecutionId);
  }

  /** Buffers and events of a channel waiting for the task now. */
  int queuedBuffers(int channel) {
    lock.lock();
    try {
      return queues.get(channel).size();
    } finally {
      lock.unlock();
    }
  }

  /** The most buffers and events of a channel that ever waited for the task at once. */
  int maxQueuedBuffers(int channel) {
    lock.lock();
    try {
      return maxQueued[channel];
    } finally {
      lock.unlock();
    }
  }

  InputChannel channel(int index) {
    return channels.get(index);
  }

  /** The first unblocked channel with something queued, starting after the last one served. */
  private int nextAvailableChannel() {
    int n = channels.size();
    for (int i = 0; i < n; i++) {
      int channel = (nextChannel + i) % n;
      if (!blocked[channel] && !queues.get(channel).isEmpty()) {
        nextChannel = (channel + 1) % n;
        return channel;
      }
    }
    return -1;
  }

  private final class Listener implements InputChannelListener {
    @Override
    public void onBufferOrEvent(BufferOrEvent element) {
      lock.lock();
      try {
        if (closed) {
          return;
        }
        int channel = element.channel();
        if (element instanceof BufferOrEvent.EndOfPartition) {
          endReceived[channel] = true;
        }
        ArrayDeque<BufferOrEvent> queue = queues.get(channel);
        queue.add(element);
        maxQueued[channel] = Math.max(maxQueued[channel], queue.size());
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void onFailure(int channel, IOException cause) {
      lock.lock();
      try {
        if (closed || endReceived[channel] || failure != null) {
          return;
        }
        failure = cause;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
      LOG.warn("Input of {} failed: {}", consumerExecutionId, cause.getMessage());
    }
  }
}
