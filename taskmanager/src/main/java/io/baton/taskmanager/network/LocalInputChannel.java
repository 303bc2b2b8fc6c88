package io.baton.taskmanager.network;

import io.baton.common.deployment.InputChannelDeployment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A channel reading a subpartition of this TaskManager straight from its queue, without the
 * network, with the same credit as a remote channel: it takes a buffer (or a batch of records as
 * objects, which the producer queues only for a local reader) out of the subpartition only while
 * the gate has room for it, so a slow consumer backpressures a local producer too.
 */
final class LocalInputChannel extends RetryingInputChannel implements BufferAvailabilityListener {
  private final ResultPartitionRegistry partitions;
  private final int initialCredit;

  // guards the fields below and keeps buffers in order between the producer's and the consumer's
  // threads; taken before the subpartition's and the gate's locks, never while holding them
  private final Object lock = new Object();
  private SubpartitionView view;
  private int credit;
  private boolean ended;

  LocalInputChannel(
      int index,
      InputChannelDeployment descriptor,
      String consumerExecutionId,
      InputChannelListener listener,
      ScheduledExecutorService scheduler,
      PartitionRequestBackoff backoff,
      ResultPartitionRegistry partitions,
      int initialCredit) {
    super(index, descriptor, consumerExecutionId, listener, scheduler, backoff);
    this.partitions = partitions;
    this.initialCredit = initialCredit;
  }

  @Override
  protected void requestOnce() {
    PipelinedResultPartition partition = partitions.lookup(descriptor.partitionId());
    if (partition == null) {
      retryOrFail();
      return;
    }
    int subpartition = descriptor.subpartitionIndex();
    if (subpartition < 0 || subpartition >= partition.numberOfSubpartitions()) {
      fail(
          new IOException(
              "channel "
                  + index
                  + " of "
                  + consumerExecutionId
                  + ": "
                  + describe()
                  + " does not exist: the partition has "
                  + partition.numberOfSubpartitions()
                  + " subpartitions"));
      return;
    }
    synchronized (lock) {
      if (isClosed()) {
        return;
      }
      credit = initialCredit;
      view = partition.subpartition(subpartition).attachLocal(this, consumerExecutionId);
    }
    drain();
  }

  @Override
  public void notifyAvailable() {
    drain();
  }

  @Override
  public void onConsumed() {
    synchronized (lock) {
      credit++;
    }
    drain();
  }

  @Override
  public void close() {
    markClosed();
    synchronized (lock) {
      if (view != null) {
        view.detach();
      }
    }
  }

  /** Moves what credit allows from the subpartition to the gate. */
  private void drain() {
    synchronized (lock) {
      if (view == null || ended || isClosed()) {
        return;
      }
      while (credit > 0) {
        SubpartitionBuffer buffer = view.poll();
        if (buffer == null) {
          break;
        }
        credit--;
        listener.onBufferOrEvent(toElement(buffer));
        if (buffer.kind() == SubpartitionBuffer.Kind.END_OF_PARTITION) {
          ended = true;
          view.detach();
          return;
        }
      }
      Throwable failure = view.failure();
      if (failure != null) {
        ended = true;
        view.detach();
        fail(
            new IOException(
                "channel "
                    + index
                    + " of "
                    + consumerExecutionId
                    + ": reading "
                    + describe()
                    + " failed: "
                    + failure.getMessage(),
                failure));
      }
    }
  }

  private BufferOrEvent toElement(SubpartitionBuffer buffer) {
    return switch (buffer.kind()) {
      case RECORDS ->
          new BufferOrEvent.Records(
              index, ByteBuffer.wrap(buffer.data(), 0, buffer.length()), buffer.recordCount());
      case OBJECTS -> new BufferOrEvent.ObjectBatch(index, buffer.objects(), buffer.recordCount());
      case BARRIER ->
          new BufferOrEvent.Barrier(
              index, buffer.checkpointId(), buffer.timestamp(), buffer.checkpointDir());
      case END_OF_PARTITION -> new BufferOrEvent.EndOfPartition(index);
    };
  }
}
