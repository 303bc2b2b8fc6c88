package io.baton.taskmanager;

import io.baton.common.rpc.DataExchangeServiceGrpc;
import io.baton.common.rpc.InputGateDescriptor;
import io.baton.common.rpc.ResultPartitionDescriptor;
import io.baton.taskmanager.network.InputGate;
import io.baton.taskmanager.network.NetworkEnvironment;
import io.baton.taskmanager.network.ResultPartition;
import io.grpc.BindableService;

/**
 * Stands in for the gRPC data plane where none is plugged in: tasks without inputs and outputs run;
 * a task that needs an exchange fails with a clear reason, and remote partition requests are
 * answered UNIMPLEMENTED.
 */
final class NoDataExchangeNetwork implements NetworkEnvironment {

  @Override
  public ResultPartition createResultPartition(ResultPartitionDescriptor descriptor) {
    throw new UnsupportedOperationException(
        "this TaskManager has no data exchange: cannot create result partition "
            + descriptor.getPartitionId());
  }

  @Override
  public InputGate createInputGate(InputGateDescriptor descriptor, String consumerExecutionId) {
    throw new UnsupportedOperationException(
        "this TaskManager has no data exchange: cannot create the input gate of edge "
            + descriptor.getEdgeIndex());
  }

  @Override
  public BindableService dataExchangeService() {
    return new DataExchangeServiceGrpc.DataExchangeServiceImplBase() {};
  }

  @Override
  public void close() {}
}
