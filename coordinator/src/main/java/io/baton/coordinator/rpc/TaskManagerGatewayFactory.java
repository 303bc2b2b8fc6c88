package io.baton.coordinator.rpc;

import io.baton.common.cluster.RpcAddress;
import io.baton.common.ids.TaskManagerId;

/** Opens a {@link TaskManagerGateway} to a TaskManager that registered. */
@FunctionalInterface
public interface TaskManagerGatewayFactory {
  TaskManagerGateway connect(TaskManagerId id, RpcAddress address);
}
