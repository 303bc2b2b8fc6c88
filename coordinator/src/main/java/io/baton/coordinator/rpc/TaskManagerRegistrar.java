package io.baton.coordinator.rpc;

import io.baton.common.cluster.HeartbeatAnswer;
import io.baton.common.cluster.HeartbeatReport;
import io.baton.common.cluster.RegistrationResponse;
import io.baton.common.cluster.TaskManagerRegistration;
import java.util.concurrent.CompletableFuture;

/** Where TaskManagers register and heartbeat (the resource manager). */
public interface TaskManagerRegistrar {

  CompletableFuture<RegistrationResponse> registerTaskManager(TaskManagerRegistration request);

  CompletableFuture<HeartbeatAnswer> heartbeat(HeartbeatReport heartbeat);
}
