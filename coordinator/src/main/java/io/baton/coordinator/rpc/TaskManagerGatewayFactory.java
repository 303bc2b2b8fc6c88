package io.baton.coordinator.rpc;

import io.baton.common.ids.TaskManagerId;
import io.baton.common.rpc.Address;

/** Opens a {@link TaskManagerGateway} to a TaskManager that registered. */
@FunctionalInterface
public interface TaskManagerGatewayFactory {
  TaskManagerGateway connect(TaskManagerId id, Address address);
}
