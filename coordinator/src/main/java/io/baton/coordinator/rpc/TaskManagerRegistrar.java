package io.baton.coordinator.rpc;

import io.baton.common.rpc.HeartbeatResponse;
import io.baton.common.rpc.RegisterTaskManagerRequest;
import io.baton.common.rpc.RegisterTaskManagerResponse;
import io.baton.common.rpc.TaskManagerHeartbeat;
import java.util.concurrent.CompletableFuture;

/** Where TaskManagers register and heartbeat (the resource manager). */
public interface TaskManagerRegistrar {

  CompletableFuture<RegisterTaskManagerResponse> registerTaskManager(
      RegisterTaskManagerRequest request);

  CompletableFuture<HeartbeatResponse> heartbeat(TaskManagerHeartbeat heartbeat);
}
