package io.baton.coordinator;

import io.baton.common.concurrent.SingleThreadMainThreadExecutor;
import io.baton.common.config.Configuration;
import io.baton.common.rpc.GrpcChannelFactory;
import io.baton.common.security.TokenDigest;
import io.baton.coordinator.blob.BlobStore;
import io.baton.coordinator.checkpoint.CheckpointServices;
import io.baton.coordinator.dispatcher.Dispatcher;
import io.baton.coordinator.dispatcher.JobRecovery;
import io.baton.coordinator.failover.RestartStrategyFactory;
import io.baton.coordinator.ha.JobManagerLeadership;
import io.baton.coordinator.ha.LeaderSession;
import io.baton.coordinator.jobmaster.JobLifecycleStores;
import io.baton.coordinator.metrics.JobManagerMetrics;
import io.baton.coordinator.metrics.ResourceManagerMetrics;
import io.baton.coordinator.resourcemanager.ResourceManager;
import io.baton.coordinator.resourcemanager.ResourceManagerSettings;
import io.baton.coordinator.resourcemanager.WorkerDriverFactory;
import io.baton.coordinator.rpc.GrpcTaskManagerGateway;
import io.baton.ha.LeaderStores;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.function.IntSupplier;

/**
 * Builds what a JobManager runs while it leads under one session id: a resource manager fenced with
 * the session id and a dispatcher whose jobs write to that session's HA stores.
 */
final class LeaderSessions implements JobManagerLeadership.SessionFactory {

  /** The HA stores of one leadership session. */
  @FunctionalInterface
  interface SessionStores {
    LeaderStores forSession(UUID sessionId) throws IOException;
  }

  private final Configuration config;
  private final GrpcChannelFactory channels;
  private final BlobStore blobStore;
  private final Clock clock;
  private final Duration rpcTimeout;
  private final ResourceManagerSettings rmSettings;
  private final ResourceManagerMetrics rmMetrics;
  private final JobManagerMetrics jobMetrics;
  private final RestartStrategyFactory restartStrategies;
  private final Duration cancelTimeout;
  private final CheckpointServices storage;
  private final SessionStores stores;
  private final WorkerDriverFactory workerDrivers;
  private final IntSupplier rpcPort;

  /**
   * @param storage the file stores and I/O executor every session shares (its HA stores are
   *     replaced by the session's)
   * @param workerDrivers a fresh worker driver for each session's resource manager
   * @param rpcPort the JobManager's bound RPC port (sessions start only once it is bound)
   */
  LeaderSessions(
      Configuration config,
      BlobStore blobStore,
      Clock clock,
      Duration rpcTimeout,
      ResourceManagerSettings rmSettings,
      ResourceManagerMetrics rmMetrics,
      JobManagerMetrics jobMetrics,
      RestartStrategyFactory restartStrategies,
      Duration cancelTimeout,
      CheckpointServices storage,
      SessionStores stores,
      WorkerDriverFactory workerDrivers,
      IntSupplier rpcPort) {
    this.config = config;
    this.blobStore = blobStore;
    this.clock = clock;
    this.rpcTimeout = rpcTimeout;
    this.rmSettings = rmSettings;
    this.rmMetrics = rmMetrics;
    this.jobMetrics = jobMetrics;
    this.restartStrategies = restartStrategies;
    this.cancelTimeout = cancelTimeout;
    this.storage = storage;
    this.stores = stores;
    this.workerDrivers = workerDrivers;
    this.rpcPort = rpcPort;
    this.channels = GrpcChannelFactory.fromConfiguration(config);
  }

  @Override
  public LeaderSession create(UUID sessionId) throws IOException {
    LeaderStores haStores = stores.forSession(sessionId);
    String fencingToken = sessionId.toString();
    ResourceManager resourceManager =
        new ResourceManager(
            new SingleThreadMainThreadExecutor("ResourceManager", "baton-resource-manager"),
            clock,
            fencingToken,
            rmSettings,
            GrpcTaskManagerGateway.factory(channels, fencingToken, rpcTimeout),
            rmMetrics,
            workerDrivers.create(rpcPort.getAsInt()));
    resourceManager.start();
    CheckpointServices checkpointServices =
        new CheckpointServices(storage.fileStores(), haStores, storage.io());
    Dispatcher dispatcher =
        new Dispatcher(
            new SingleThreadMainThreadExecutor("Dispatcher", "baton-dispatcher"),
            config,
            resourceManager,
            resourceManager,
            restartStrategies,
            jobId ->
                new SingleThreadMainThreadExecutor(
                    "JobMaster of job " + jobId, "baton-jobmaster-" + jobId),
            clock,
            jobMetrics,
            cancelTimeout,
            checkpointServices,
            new JobLifecycleStores(haStores, TokenDigest.of(fencingToken)),
            Optional.of(blobStore));
    JobRecovery recovery =
        new JobRecovery(
            dispatcher,
            haStores,
            Optional.of(blobStore),
            config,
            checkpointServices.files(),
            storage.io(),
            clock);
    return new LeaderSession(sessionId, resourceManager, dispatcher, recovery);
  }
}
