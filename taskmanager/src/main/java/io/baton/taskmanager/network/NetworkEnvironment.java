package io.baton.taskmanager.network;

import io.baton.common.deployment.InputGateDeployment;
import io.baton.common.deployment.ResultPartitionDeployment;
import io.grpc.BindableService;

/**
 * A TaskManager's data plane: creates tasks' result partitions and input gates, and serves its
 * partitions to consumers on other TaskManagers (and, without the network, on this one).
 */
public interface NetworkEnvironment extends AutoCloseable {

  /**
   * Registers a task's output for one edge; consumers may request its subpartitions from now on.
   */
  ResultPartition createResultPartition(ResultPartitionDeployment descriptor);

  /** Creates a task's input for one edge; call {@link InputGate#requestPartitions} to connect. */
  InputGate createInputGate(InputGateDeployment descriptor, String consumerExecutionId);

  /** The gRPC service that serves this TaskManager's partitions; added to its RPC server. */
  BindableService dataExchangeService();

  /** Closes all client channels to other TaskManagers. */
  @Override
  void close();
}
