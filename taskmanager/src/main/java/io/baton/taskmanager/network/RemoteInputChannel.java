package io.baton.taskmanager.network;

import io.baton.common.deployment.InputChannelDeployment;
import io.baton.common.rpc.ConsumerMessage;
import io.baton.common.rpc.Credit;
import io.baton.common.rpc.DataBuffer;
import io.baton.common.rpc.DataExchangeServiceGrpc;
import io.baton.common.rpc.PartitionRequest;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A channel reading a subpartition of another TaskManager over one Exchange stream. It grants
 * {@code initialCredit} buffers up front and one more for every buffer or barrier its gate hands to
 * the task, so at most {@code initialCredit} buffers of this channel are ever queued or in flight.
 */
final class RemoteInputChannel extends RetryingInputChannel {
  private static final ConsumerMessage ONE_CREDIT =
      ConsumerMessage.newBuilder().setCredit(Credit.newBuilder().setBuffers(1)).build();

  // DataExchange's Exchange, its answers read by ReceivedBufferMarshaller instead of protobuf's
  private static final MethodDescriptor<ConsumerMessage, ReceivedBuffer> EXCHANGE =
      DataExchangeServiceGrpc.getExchangeMethod().toBuilder(
              ProtoUtils.marshaller(ConsumerMessage.getDefaultInstance()),
              new ReceivedBufferMarshaller())
          .build();

  private final Channel channel;
  private final int initialCredit;

  private final Object sendLock = new Object();
  // guarded by sendLock: the outbound side of the current stream
  private ClientCallStreamObserver<ConsumerMessage> requests;
  private boolean streamOpen;

  // credit the producer holds and has not used; below zero it sent more than it was granted
  private final AtomicInteger unusedCredit = new AtomicInteger();
  private final AtomicInteger creditViolations = new AtomicInteger();

  RemoteInputChannel(
      int index,
      InputChannelDeployment descriptor,
      String consumerExecutionId,
      InputChannelListener listener,
      ScheduledExecutorService scheduler,
      PartitionRequestBackoff backoff,
      Channel channel,
      int initialCredit) {
    super(index, descriptor, consumerExecutionId, listener, scheduler, backoff);
    this.channel = channel;
    this.initialCredit = initialCredit;
  }

  @Override
  protected void requestOnce() {
    synchronized (sendLock) {
      if (isClosed()) {
        return;
      }
      unusedCredit.set(initialCredit);
      Stream stream = new Stream();
      ClientCalls.asyncBidiStreamingCall(channel.newCall(EXCHANGE, CallOptions.DEFAULT), stream);
      requests = stream.requests;
      streamOpen = true;
      requests.onNext(
          ConsumerMessage.newBuilder()
              .setRequest(
                  PartitionRequest.newBuilder()
                      .setPartitionId(descriptor.partitionId())
                      .setSubpartitionIndex(descriptor.subpartitionIndex())
                      .setConsumerExecutionId(consumerExecutionId)
                      .setInitialCredit(initialCredit))
              .build());
    }
  }

  @Override
  public void onConsumed() {
    unusedCredit.incrementAndGet();
    synchronized (sendLock) {
      if (streamOpen && !isClosed()) {
        requests.onNext(ONE_CREDIT);
      }
    }
  }

  @Override
  public void close() {
    markClosed();
    synchronized (sendLock) {
      if (streamOpen) {
        streamOpen = false;
        requests.cancel("the consumer closed its input gate", null);
      }
    }
  }

  /** Times the producer sent a buffer it had no credit for (a protocol violation; for tests). */
  int creditViolations() {
    return creditViolations.get();
  }

  private void streamEnded(ClientCallStreamObserver<ConsumerMessage> ended) {
    synchronized (sendLock) {
      if (requests == ended) {
        streamOpen = false;
      }
    }
  }

  private String failurePrefix() {
    return "channel " + index + " of " + consumerExecutionId + ": reading " + describe();
  }

  /** The inbound side of one request attempt; gRPC calls it one callback at a time. */
  private final class Stream implements ClientResponseObserver<ConsumerMessage, ReceivedBuffer> {
    private ClientCallStreamObserver<ConsumerMessage> requests;
    private long expectedSequenceNumber;
    private boolean notFound;
    private boolean ended;
    private boolean failed;

    @Override
    public void beforeStart(ClientCallStreamObserver<ConsumerMessage> requestStream) {
      this.requests = requestStream;
    }

    @Override
    public void onNext(ReceivedBuffer buffer) {
      if (failed || ended) {
        return;
      }
      if (buffer.kind() == DataBuffer.Kind.PARTITION_NOT_FOUND) {
        notFound = true;
        streamEnded(requests);
        retryOrFail();
        return;
      }
      if (buffer.sequenceNumber() != expectedSequenceNumber) {
        protocolError(
            "expected buffer "
                + expectedSequenceNumber
                + " but got buffer "
                + buffer.sequenceNumber());
        return;
      }
      expectedSequenceNumber++;
      if (unusedCredit.decrementAndGet() < 0) {
        creditViolations.incrementAndGet();
      }
      BufferOrEvent element =
          switch (buffer.kind()) {
            case RECORDS ->
                new BufferOrEvent.Records(index, buffer.payload(), buffer.recordCount());
            case BARRIER ->
                new BufferOrEvent.Barrier(
                    index,
                    buffer.checkpointId(),
                    buffer.timestamp(),
                    StandardCharsets.UTF_8.decode(buffer.payload()).toString());
            case END_OF_PARTITION -> new BufferOrEvent.EndOfPartition(index);
            default -> null;
          };
      if (element == null) {
        protocolError("unexpected buffer kind " + buffer.kind());
        return;
      }
      if (element instanceof BufferOrEvent.EndOfPartition) {
        ended = true;
        streamEnded(requests);
      }
      listener.onBufferOrEvent(element);
    }

    @Override
    public void onError(Throwable t) {
      streamEnded(requests);
      if (notFound || ended || failed) {
        return;
      }
      failed = true;
      Status status = Status.fromThrowable(t);
      fail(
          new IOException(
              failurePrefix()
                  + " failed: "
                  + status.getCode()
                  + (status.getDescription() == null ? "" : ": " + status.getDescription()),
              t));
    }

    @Override
    public void onCompleted() {
      streamEnded(requests);
      if (notFound || ended || failed) {
        return;
      }
      failed = true;
      fail(new IOException(failurePrefix() + " failed: the stream ended before END_OF_PARTITION"));
    }

    private void protocolError(String what) {
      failed = true;
      IOException failure = new IOException(failurePrefix() + " failed: " + what);
      fail(failure);
      streamEnded(requests);
      requests.cancel(what, null);
    }
  }
}
