package io.baton.taskmanager.network;

import com.google.common.util.concurrent.MoreExecutors;
import io.baton.common.rpc.ConsumerMessage;
import io.baton.common.rpc.DataBuffer;
import io.baton.common.rpc.DataExchangeServiceGrpc;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.Executor;

/**
 * Serves this TaskManager's result partitions: each Exchange stream reads one subpartition, see
 * {@link SubpartitionStreamer}.
 */
final class DataExchangeServer extends DataExchangeServiceGrpc.DataExchangeServiceImplBase {
  private final ResultPartitionRegistry partitions;
  private final Executor streamExecutor;
  private final String taskManagerId;

  /**
   * @param streamExecutor runs the streams' work; each stream's work runs on it one task at a time
   */
  DataExchangeServer(
      ResultPartitionRegistry partitions, Executor streamExecutor, String taskManagerId) {
    this.partitions = partitions;
    this.streamExecutor = streamExecutor;
    this.taskManagerId = taskManagerId;
  }

  @Override
  public StreamObserver<ConsumerMessage> exchange(StreamObserver<DataBuffer> responseObserver) {
    return new SubpartitionStreamer(
        (ServerCallStreamObserver<DataBuffer>) responseObserver,
        partitions,
        MoreExecutors.newSequentialExecutor(streamExecutor),
        taskManagerId);
  }
}
