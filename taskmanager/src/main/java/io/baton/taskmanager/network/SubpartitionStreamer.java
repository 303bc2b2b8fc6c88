package io.baton.taskmanager.network;

import com.google.protobuf.UnsafeByteOperations;
import io.baton.common.rpc.ConsumerMessage;
import io.baton.common.rpc.DataBuffer;
import io.baton.common.rpc.PartitionRequest;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer's side of one Exchange stream. The consumer's first message names the subpartition;
 * after that every Credit lets one more DataBuffer go out, and a buffer goes out only while gRPC's
 * own transport is ready for it, so nothing piles up in memory on this side.
 *
 * <p>All state is touched on one sequential executor: gRPC callbacks, credit, readiness and the
 * producer's "data available" notifications are all handed to it.
 */
final class SubpartitionStreamer implements StreamObserver<ConsumerMessage> {
  private static final Logger LOG = LoggerFactory.getLogger(SubpartitionStreamer.class);

  private final ServerCallStreamObserver<DataBuffer> out;
  private final ResultPartitionRegistry partitions;
  private final Executor executor;
  private final String taskManagerId;

  // confined to executor
  private PartitionRequest request;
  private SubpartitionView view;
  private long credit;
  private long sequenceNumber;
  private boolean done;

  SubpartitionStreamer(
      ServerCallStreamObserver<DataBuffer> out,
      ResultPartitionRegistry partitions,
      Executor executor,
      String taskManagerId) {
    this.out = out;
    this.partitions = partitions;
    this.executor = executor;
    this.taskManagerId = taskManagerId;
    out.setOnReadyHandler(() -> run(this::drain));
    out.setOnCancelHandler(() -> run(() -> detach("the consumer cancelled the stream")));
  }

  @Override
  public void onNext(ConsumerMessage message) {
    run(() -> handle(message));
  }

  @Override
  public void onError(Throwable t) {
    run(() -> detach("the consumer's stream failed: " + oneLine(Status.fromThrowable(t))));
  }

  @Override
  public void onCompleted() {
    // the consumer sends nothing more; what it has granted is still sent
  }

  private void handle(ConsumerMessage message) {
    if (done) {
      return;
    }
    switch (message.getKindCase()) {
      case REQUEST -> onPartitionRequest(message.getRequest());
      case CREDIT -> {
        if (view == null) {
          failStream(Status.FAILED_PRECONDITION.withDescription("credit before partition request"));
          return;
        }
        credit += message.getCredit().getBuffers();
        drain();
      }
      default ->
          failStream(
              Status.INVALID_ARGUMENT.withDescription(
                  "unexpected consumer message " + message.getKindCase()));
    }
  }

  private void onPartitionRequest(PartitionRequest partitionRequest) {
    if (view != null) {
      failStream(Status.FAILED_PRECONDITION.withDescription("partition already requested"));
      return;
    }
    request = partitionRequest;
    PipelinedResultPartition partition = partitions.lookup(partitionRequest.getPartitionId());
    if (partition == null) {
      LOG.debug(
          "Partition {} requested by {} is not (yet) on TaskManager {}",
          partitionRequest.getPartitionId(),
          partitionRequest.getConsumerExecutionId(),
          taskManagerId);
      out.onNext(DataBuffer.newBuilder().setKind(DataBuffer.Kind.PARTITION_NOT_FOUND).build());
      out.onCompleted();
      done = true;
      return;
    }
    int index = partitionRequest.getSubpartitionIndex();
    if (index < 0 || index >= partition.numberOfSubpartitions()) {
      failStream(
          Status.INVALID_ARGUMENT.withDescription(
              "partition "
                  + partition.id()
                  + " has "
                  + partition.numberOfSubpartitions()
                  + " subpartitions, not "
                  + (index + 1)));
      return;
    }
    credit = partitionRequest.getInitialCredit();
    view =
        partition
            .subpartition(index)
            .attachRemote(() -> run(this::drain), partitionRequest.getConsumerExecutionId());
    LOG.debug(
        "Serving subpartition {} of partition {} to {} with {} initial credits",
        index,
        partition.id(),
        partitionRequest.getConsumerExecutionId(),
        credit);
    drain();
  }

  /** Sends what credit, the transport and the queue allow. */
  private void drain() {
    if (done || view == null) {
      return;
    }
    while (credit > 0 && out.isReady()) {
      SubpartitionBuffer buffer = view.poll();
      if (buffer == null) {
        break;
      }
      credit--;
      out.onNext(toMessage(buffer));
      if (buffer.kind() == SubpartitionBuffer.Kind.END_OF_PARTITION) {
        done = true;
        view.detach();
        out.onCompleted();
        return;
      }
    }
    Throwable failure = view.failure();
    if (failure != null) {
      failStream(Status.ABORTED.withDescription(failure.getMessage()).withCause(failure));
    }
  }

  private DataBuffer toMessage(SubpartitionBuffer buffer) {
    DataBuffer.Builder message = DataBuffer.newBuilder().setSequenceNumber(sequenceNumber++);
    return switch (buffer.kind()) {
      case RECORDS ->
          message
              .setKind(DataBuffer.Kind.RECORDS)
              // the producer never writes a queued buffer again, so no copy is needed
              .setPayload(UnsafeByteOperations.unsafeWrap(buffer.data(), 0, buffer.length()))
              .setRecordCount(buffer.recordCount())
              .build();
      case BARRIER ->
          message
              .setKind(DataBuffer.Kind.BARRIER)
              .setCheckpointId(buffer.checkpointId())
              .setTimestamp(buffer.timestamp())
              // the checkpoint directory, in UTF-8 (empty when not named)
              .setPayload(UnsafeByteOperations.unsafeWrap(buffer.data(), 0, buffer.length()))
              .build();
      case END_OF_PARTITION -> message.setKind(DataBuffer.Kind.END_OF_PARTITION).build();
      // a remote view is never handed a batch of objects (the subpartition fails it instead)
      case OBJECTS ->
          throw new IllegalStateException(
              "a batch of records as objects reached the stream to "
                  + request.getConsumerExecutionId());
    };
  }

  private void failStream(Status status) {
    done = true;
    if (view != null) {
      view.detach();
    }
    LOG.info(
        "Ending stream of {}: {}",
        request == null
            ? "an unknown subpartition"
            : "subpartition "
                + request.getSubpartitionIndex()
                + " of partition "
                + request.getPartitionId()
                + " to "
                + request.getConsumerExecutionId(),
        oneLine(status));
    out.onError(status.asRuntimeException());
  }

  private void detach(String why) {
    if (done) {
      return;
    }
    done = true;
    if (view != null) {
      view.detach();
      LOG.info(
          "Consumer {} let go of subpartition {} of partition {} ({}); its data stays for the next"
              + " request",
          request.getConsumerExecutionId(),
          request.getSubpartitionIndex(),
          request.getPartitionId(),
          why);
    }
  }

  private static String oneLine(Status status) {
    return status.getCode()
        + (status.getDescription() == null ? "" : ": " + status.getDescription());
  }

  private void run(Runnable work) {
    try {
      executor.execute(
          () -> {
            try {
              work.run();
            } catch (RuntimeException e) {
              LOG.error("Exchange stream failed on TaskManager {}", taskManagerId, e);
              if (!done) {
                failStream(Status.INTERNAL.withDescription(e.toString()));
              }
            }
          });
    } catch (RejectedExecutionException e) {
      // the TaskManager's network is shutting down; the stream dies with the server
      LOG.debug("Dropping exchange stream work on TaskManager {}: shutting down", taskManagerId);
    }
  }
}
