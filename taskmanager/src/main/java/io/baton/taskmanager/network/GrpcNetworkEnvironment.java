package io.baton.taskmanager.network;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import io.baton.common.config.Configuration;
import io.baton.common.deployment.InputChannelDeployment;
import io.baton.common.deployment.InputGateDeployment;
import io.baton.common.deployment.ResultPartitionDeployment;
import io.baton.common.rpc.GrpcChannelFactory;
import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data plane of a TaskManager over gRPC with credit-based flow control: result partitions are
 * served through {@link #dataExchangeService()}, input channels read other TaskManagers' partitions
 * over one cached plaintext channel per producer address, and this TaskManager's own partitions
 * straight from memory.
 */
public final class GrpcNetworkEnvironment implements NetworkEnvironment {
  private static final Logger LOG = LoggerFactory.getLogger(GrpcNetworkEnvironment.class);

  /** How long a consumer asks again for a partition that is not there before it gives up. */
  public static final Duration DEFAULT_PARTITION_REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

  private final NetworkSettings settings;
  private final String localTaskManagerId;
  private final ResultPartitionRegistry partitions = new ResultPartitionRegistry();
  private final ExecutorService streamExecutor;
  private final ScheduledExecutorService retryScheduler;
  private final DataExchangeServer service;
  private final ConcurrentMap<String, ManagedChannel> clientChannels = new ConcurrentHashMap<>();
  private final GrpcChannelFactory channels;
  private volatile boolean closed;

  public GrpcNetworkEnvironment(Configuration config, String localTaskManagerId) {
    this(config, localTaskManagerId, DEFAULT_PARTITION_REQUEST_TIMEOUT);
  }

  /**
   * @param partitionRequestTimeout how long a consumer keeps asking for a partition that is not
   *     registered yet before its input fails
   */
  public GrpcNetworkEnvironment(
      Configuration config, String localTaskManagerId, Duration partitionRequestTimeout) {
    this.settings = NetworkSettings.from(config, partitionRequestTimeout);
    this.channels = GrpcChannelFactory.fromConfiguration(config);
    this.localTaskManagerId = Objects.requireNonNull(localTaskManagerId);
    this.streamExecutor =
        Executors.newCachedThreadPool(
            new ThreadFactoryBuilder()
                .setNameFormat("baton-data-exchange-" + localTaskManagerId + "-%d")
                .setDaemon(true)
                .build());
    this.retryScheduler =
        Executors.newSingleThreadScheduledExecutor(
            new ThreadFactoryBuilder()
                .setNameFormat("baton-partition-request-" + localTaskManagerId)
                .setDaemon(true)
                .build());
    this.service = new DataExchangeServer(partitions, streamExecutor, localTaskManagerId);
  }

  @Override
  public ResultPartition createResultPartition(ResultPartitionDeployment descriptor) {
    checkOpen();
    PipelinedResultPartition partition =
        new PipelinedResultPartition(
            descriptor.partitionId(),
            descriptor.numberOfSubpartitions(),
            settings,
            partitions,
            System::nanoTime);
    partitions.register(partition);
    LOG.debug(
        "Registered partition {} with {} subpartitions on TaskManager {}",
        partition.id(),
        partition.numberOfSubpartitions(),
        localTaskManagerId);
    return partition;
  }

  @Override
  public InputGate createInputGate(InputGateDeployment descriptor, String consumerExecutionId) {
    checkOpen();
    List<InputChannelDeployment> channels = descriptor.channels();
    return new CreditBasedInputGate(
        consumerExecutionId,
        channels.size(),
        (index, listener) ->
            createChannel(index, channels.get(index), consumerExecutionId, listener));
  }

  @Override
  public BindableService dataExchangeService() {
    return service;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (PipelinedResultPartition partition : partitions.all()) {
      partition.release(
          new IllegalStateException(
              "TaskManager " + localTaskManagerId + " shuts down its network"));
    }
    clientChannels.values().forEach(ManagedChannel::shutdownNow);
    retryScheduler.shutdownNow();
    streamExecutor.shutdownNow();
    try {
      for (ManagedChannel channel : clientChannels.values()) {
        channel.awaitTermination(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    clientChannels.clear();
    LOG.info("Closed the network of TaskManager {}", localTaskManagerId);
  }

  /** A registered partition, or null (for tests). */
  PipelinedResultPartition partition(String partitionId) {
    return partitions.lookup(partitionId);
  }

  private InputChannel createChannel(
      int index,
      InputChannelDeployment descriptor,
      String consumerExecutionId,
      InputChannelListener listener) {
    PartitionRequestBackoff backoff =
        new PartitionRequestBackoff(settings.partitionRequestTimeout(), System::nanoTime);
    if (localTaskManagerId.equals(descriptor.producerTaskManagerId().value())) {
      return new LocalInputChannel(
          index,
          descriptor,
          consumerExecutionId,
          listener,
          retryScheduler,
          backoff,
          partitions,
          settings.buffersPerChannel());
    }
    return new RemoteInputChannel(
        index,
        descriptor,
        consumerExecutionId,
        listener,
        retryScheduler,
        backoff,
        clientChannel(descriptor),
        settings.buffersPerChannel());
  }

  private ManagedChannel clientChannel(InputChannelDeployment descriptor) {
    String host = descriptor.producerAddress().host();
    int port = descriptor.producerAddress().port();
    return clientChannels.computeIfAbsent(
        host + ":" + port,
        address -> {
          LOG.debug("TaskManager {} opens a data channel to {}", localTaskManagerId, address);
          return channels
              .forAddress(host, port)
              // a record larger than a buffer travels in a buffer of its own size
              .maxInboundMessageSize(Integer.MAX_VALUE)
              // a received buffer is only queued into its gate (a short lock, never a wait), so
              // it is handed over on the network thread instead of hopping to another per buffer
              .directExecutor()
              .build();
        });
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException(
          "the network of TaskManager " + localTaskManagerId + " is closed");
    }
  }
}
