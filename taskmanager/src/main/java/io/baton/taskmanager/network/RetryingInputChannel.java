package io.baton.taskmanager.network;

import io.baton.common.deployment.InputChannelDeployment;
import java.io.IOException;
import java.util.OptionalLong;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What local and remote channels share: who they read, and asking again (with backoff, until a
 * deadline) while the producer has not registered the partition yet.
 */
abstract class RetryingInputChannel implements InputChannel {
  private static final Logger LOG = LoggerFactory.getLogger(RetryingInputChannel.class);

  protected final int index;
  protected final InputChannelDeployment descriptor;
  protected final String consumerExecutionId;
  protected final InputChannelListener listener;

  private final ScheduledExecutorService scheduler;
  private final PartitionRequestBackoff backoff;
  private final AtomicInteger attempts = new AtomicInteger();
  private volatile boolean closed;
  private volatile Future<?> pendingRetry;

  RetryingInputChannel(
      int index,
      InputChannelDeployment descriptor,
      String consumerExecutionId,
      InputChannelListener listener,
      ScheduledExecutorService scheduler,
      PartitionRequestBackoff backoff) {
    this.index = index;
    this.descriptor = descriptor;
    this.consumerExecutionId = consumerExecutionId;
    this.listener = listener;
    this.scheduler = scheduler;
    this.backoff = backoff;
  }

  @Override
  public final void request() {
    backoff.start();
    attempt();
  }

  /** One request for the subpartition; calls {@link #retryOrFail} when it is not there. */
  protected abstract void requestOnce();

  @Override
  public int attempts() {
    return attempts.get();
  }

  protected final boolean isClosed() {
    return closed;
  }

  /** Marks the channel closed and cancels a pending retry; subclasses then let go of streams. */
  protected final void markClosed() {
    closed = true;
    Future<?> retry = pendingRetry;
    if (retry != null) {
      retry.cancel(false);
    }
  }

  /** The partition was not there: ask again after a pause, or fail once the deadline passed. */
  protected final void retryOrFail() {
    if (closed) {
      return;
    }
    OptionalLong delay = backoff.nextDelayNanos();
    if (delay.isEmpty()) {
      fail(
          new IOException(
              "partition "
                  + descriptor.partitionId()
                  + " (subpartition "
                  + descriptor.subpartitionIndex()
                  + ") not found at "
                  + producerAddress()
                  + " after "
                  + attempts.get()
                  + " attempts"));
      return;
    }
    LOG.debug(
        "{} is not there yet (attempt {}); asking again in {} ms",
        describe(),
        attempts.get(),
        TimeUnit.NANOSECONDS.toMillis(delay.getAsLong()));
    try {
      pendingRetry = scheduler.schedule(this::attempt, delay.getAsLong(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      fail(new IOException(describe() + " not requested again: the network is shut down", e));
    }
  }

  protected final void fail(IOException failure) {
    if (!closed) {
      listener.onFailure(index, failure);
    }
  }

  protected final String producerAddress() {
    return descriptor.producerAddress().host() + ":" + descriptor.producerAddress().port();
  }

  /** "partition p (subpartition j) at host:port (TaskManager tm)", for errors and logs. */
  protected final String describe() {
    return "partition "
        + descriptor.partitionId()
        + " (subpartition "
        + descriptor.subpartitionIndex()
        + ") at "
        + producerAddress()
        + " (TaskManager "
        + descriptor.producerTaskManagerId()
        + ")";
  }

  private void attempt() {
    if (closed) {
      return;
    }
    attempts.incrementAndGet();
    try {
      requestOnce();
    } catch (RuntimeException e) {
      fail(new IOException("requesting " + describe() + " failed: " + e, e));
    }
  }
}
