package io.baton.taskmanager.network;

import io.baton.common.cluster.RpcAddress;
import io.baton.common.config.Configuration;
import io.baton.common.deployment.InputChannelDeployment;
import io.baton.common.deployment.ResultPartitionDeployment;
import io.baton.common.ids.TaskManagerId;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A TaskManager's data plane serving on 127.0.0.1 with a port of its own, for tests. */
final class LoopbackTaskManager implements AutoCloseable {
  final String id;
  final GrpcNetworkEnvironment network;
  private final Server server;
  private final int port;

  private LoopbackTaskManager(String id, GrpcNetworkEnvironment network, Server server) {
    this.id = id;
    this.network = network;
    this.server = server;
    this.port = server.getPort();
  }

  /** A TaskManager with a fresh id; {@code name} only tells the tests' TaskManagers apart. */
  static LoopbackTaskManager start(String name, Configuration config) throws IOException {
    return start(name, config, GrpcNetworkEnvironment.DEFAULT_PARTITION_REQUEST_TIMEOUT);
  }

  static LoopbackTaskManager start(
      String name, Configuration config, Duration partitionRequestTimeout) throws IOException {
    String id = TaskManagerId.random().value();
    GrpcNetworkEnvironment network =
        new GrpcNetworkEnvironment(config, id, partitionRequestTimeout);
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(network.dataExchangeService())
            .build()
            .start();
    return new LoopbackTaskManager(id, network, server);
  }

  int port() {
    return port;
  }

  String address() {
    return "127.0.0.1:" + port();
  }

  PipelinedResultPartition createPartition(String partitionId, int subpartitions) {
    return (PipelinedResultPartition)
        network.createResultPartition(
            new ResultPartitionDeployment(partitionId, 0, 0, "FORWARD", subpartitions, 0));
  }

  /** The descriptor of a channel reading this TaskManager's partition's subpartition. */
  InputChannelDeployment channelTo(String partitionId, int subpartition) {
    return new InputChannelDeployment(
        partitionId, subpartition, new RpcAddress("127.0.0.1", port()), new TaskManagerId(id), 0);
  }

  /** Stops serving at once, as if the process died. */
  void kill() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    network.close();
    kill();
  }
}
