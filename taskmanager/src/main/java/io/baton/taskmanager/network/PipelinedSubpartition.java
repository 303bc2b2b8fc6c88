package io.baton.taskmanager.network;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue between a producer and the one consumer of a subpartition. Holds at most {@code
 * capacity} record buffers or object batches; an event may take one place more, so a barrier or end
 * of partition never waits behind a full queue of records. The producer blocks while the queue is
 * full.
 *
 * <p>A reader in the same TaskManager ({@link #attachLocal}) may be handed records as objects
 * (OBJECTS batches, see {@link #takesObjects}); a reader on another TaskManager ({@link
 * #attachRemote}) never is: should one take over a subpartition that still holds a batch, it fails
 * when it reaches the batch, and its task with it.
 *
 * <p>Written by the producing task's thread, read by the attached reader (a gRPC stream or a local
 * channel); the queue is guarded by one lock, and listeners are called outside of it.
 */
final class PipelinedSubpartition {
  private static final Logger LOG = LoggerFactory.getLogger(PipelinedSubpartition.class);

  /** How long one wait for room lasts before the producer checks again (release, interrupt). */
  private static final long WAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private static final long NOT_BLOCKED = Long.MIN_VALUE;

  private final String partitionId;
  private final int index;
  private final int capacity;
  private final Runnable onEndConsumed;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition roomAvailable = lock.newCondition();

  // guarded by lock
  private final ArrayDeque<SubpartitionBuffer> queue = new ArrayDeque<>();
  private SubpartitionView reader;
  private Throwable releaseCause;
  private boolean endConsumed;
  private int maxQueued;

  // written under lock, read without it by the producing task's thread once per record
  private volatile boolean localReader;

  // written only by the producing task's thread
  private volatile long backpressuredNanos;
  private volatile long blockedSinceNanos = NOT_BLOCKED;

  /**
   * @param capacity the most record buffers queued (taskmanager.network.buffers-per-subpartition)
   * @param onEndConsumed run once when a reader took END_OF_PARTITION
   */
  PipelinedSubpartition(String partitionId, int index, int capacity, Runnable onEndConsumed) {
    this.partitionId = partitionId;
    this.index = index;
    this.capacity = capacity;
    this.onEndConsumed = onEndConsumed;
  }

  /**
   * Queues a buffer or event, waiting while the queue is full. After a release it drops the buffer
   * at once.
   *
   * @throws InterruptedException when the producing task is cancelled while waiting
   */
  void add(SubpartitionBuffer buffer) throws InterruptedException {
    int limit = buffer.isEvent() ? capacity + 1 : capacity;
    SubpartitionView toNotify = null;
    lock.lockInterruptibly();
    try {
      if (queue.size() >= limit && releaseCause == null) {
        long start = System.nanoTime();
        blockedSinceNanos = start;
        try {
          while (queue.size() >= limit && releaseCause == null) {
            roomAvailable.awaitNanos(WAIT_SLICE_NANOS);
          }
        } finally {
          backpressuredNanos += System.nanoTime() - start;
          blockedSinceNanos = NOT_BLOCKED;
        }
      }
      if (releaseCause != null) {
        return;
      }
      queue.add(buffer);
      maxQueued = Math.max(maxQueued, queue.size());
      if (queue.size() == 1 && reader != null) {
        toNotify = reader;
      }
    } finally {
      lock.unlock();
    }
    if (toNotify != null) {
      toNotify.notifyAvailable();
    }
  }

  /**
   * Attaches a reader in this TaskManager: from now on the producer may queue records as objects
   * (see {@link #takesObjects}). Byte buffers queued before stay ahead of them.
   */
  SubpartitionView attachLocal(BufferAvailabilityListener listener, String consumer) {
    return attach(listener, consumer, true);
  }

  /** Attaches a reader on another TaskManager: it is only ever handed bytes and events. */
  SubpartitionView attachRemote(BufferAvailabilityListener listener, String consumer) {
    return attach(listener, consumer, false);
  }

  /**
   * Whether the reader attached now is in this TaskManager, so records may be queued as objects.
   * Read by the producing task's thread once per record, without the lock.
   */
  boolean takesObjects() {
    return localReader;
  }

  /**
   * Attaches a reader. A reader already attached loses the subpartition to the new one (its
   * consumer went away without us noticing, or retried); the data it has not taken stays for the
   * new reader.
   */
  private SubpartitionView attach(
      BufferAvailabilityListener listener, String consumer, boolean local) {
    SubpartitionView view = new SubpartitionView(this, listener, consumer, local);
    SubpartitionView previous;
    lock.lock();
    try {
      previous = reader;
      reader = view;
      localReader = local && releaseCause == null;
      if (releaseCause != null) {
        view.fail(releaseCause);
      } else if (endConsumed) {
        view.fail(
            new IllegalStateException(
                "subpartition " + index + " of partition " + partitionId + " was fully consumed"));
      }
    } finally {
      lock.unlock();
    }
    if (previous != null) {
      LOG.warn(
          "Consumer {} takes over subpartition {} of partition {} from consumer {}",
          consumer,
          index,
          partitionId,
          previous.consumer());
      previous.fail(
          new IllegalStateException(
              "subpartition "
                  + index
                  + " of partition "
                  + partitionId
                  + " was taken over by consumer "
                  + consumer));
      previous.notifyAvailable();
    }
    view.notifyAvailable();
    return view;
  }

  SubpartitionBuffer poll(SubpartitionView view) {
    SubpartitionBuffer buffer;
    lock.lock();
    try {
      if (reader != view || view.failure() != null) {
        return null;
      }
      buffer = queue.peek();
      if (buffer == null) {
        return null;
      }
      if (buffer.kind() == SubpartitionBuffer.Kind.OBJECTS && !view.isLocal()) {
        refuseObjects(view);
        return null;
      }
      queue.poll();
      roomAvailable.signalAll();
      if (buffer.kind() != SubpartitionBuffer.Kind.END_OF_PARTITION) {
        return buffer;
      }
      endConsumed = true;
    } finally {
      lock.unlock();
    }
    onEndConsumed.run();
    return buffer;
  }

  void detach(SubpartitionView view) {
    lock.lock();
    try {
      if (reader == view) {
        reader = null;
        localReader = false;
      }
    } finally {
      lock.unlock();
    }
  }

  /** Drops all queued buffers, fails the reader and wakes a blocked producer. Idempotent. */
  void release(Throwable cause) {
    SubpartitionView toNotify;
    lock.lock();
    try {
      if (releaseCause != null) {
        return;
      }
      releaseCause = cause;
      localReader = false;
      // drops the object batches' records too: they are referenced nowhere else
      queue.clear();
      roomAvailable.signalAll();
      toNotify = reader;
      if (toNotify != null) {
        toNotify.fail(cause);
      }
    } finally {
      lock.unlock();
    }
    if (toNotify != null) {
      toNotify.notifyAvailable();
    }
  }

  /**
   * A remote reader reached a batch of objects queued for a local reader it took over from: it
   * cannot be sent as bytes (the producer's serializer has moved on), so the reader fails and its
   * task with it; the job then restarts from its last checkpoint.
   */
  private void refuseObjects(SubpartitionView view) {
    IllegalStateException failure =
        new IllegalStateException(
            "subpartition "
                + index
                + " of partition "
                + partitionId
                + " holds records as objects for a reader in its own TaskManager; consumer "
                + view.consumer()
                + " on another TaskManager cannot take them over");
    LOG.warn("{}; failing that consumer's stream", failure.getMessage());
    view.fail(failure);
  }

  /** Nanoseconds the producer waited for room, the wait going on now included. */
  long backpressuredNanos() {
    long since = blockedSinceNanos;
    long total = backpressuredNanos;
    return since == NOT_BLOCKED ? total : total + Math.max(0, System.nanoTime() - since);
  }

  int index() {
    return index;
  }

  /** Buffers and events queued now (for tests and metrics). */
  int queuedBuffers() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /** The most buffers and events that were ever queued at once. */
  int maxQueuedBuffers() {
    lock.lock();
    try {
      return maxQueued;
    } finally {
      lock.unlock();
    }
  }

  boolean hasReader() {
    lock.lock();
    try {
      return reader != null;
    } finally {
      lock.unlock();
    }
  }
}
