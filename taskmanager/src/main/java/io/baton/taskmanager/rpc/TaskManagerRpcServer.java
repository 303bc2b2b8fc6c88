package io.baton.taskmanager.rpc;

import io.baton.common.config.Configuration;
import io.baton.common.rpc.GrpcServerFactory;
import io.baton.taskmanager.executor.TaskExecutor;
import io.grpc.BindableService;
import io.grpc.Server;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Starts the TaskManager's one gRPC server: TaskManagerService for the JobManager (answered by the
 * {@link TaskExecutor}), its diagnostics for the JobManager's REST API ({@link
 * TaskManagerDiagnosticsRpcService}) and the data plane's exchange service for other TaskManagers,
 * with the configuration's TLS settings.
 */
public final class TaskManagerRpcServer {
  // a task deployment carries the serialized vertex with the job's functions
  private static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

  private TaskManagerRpcServer() {}

  /**
   * @throws IOException when the address cannot be bound (a taken port among them)
   */
  public static Server start(
      Configuration config,
      InetSocketAddress bindAddress,
      TaskExecutor executor,
      TaskManagerDiagnosticsRpcService diagnostics,
      BindableService dataExchange)
      throws IOException {
    return GrpcServerFactory.fromConfiguration(config)
        .forAddress(bindAddress)
        .maxInboundMessageSize(MAX_MESSAGE_BYTES)
        .addService(new TaskManagerRpcService(executor))
        .addService(diagnostics)
        .addService(dataExchange)
        .build()
        .start();
  }
}
