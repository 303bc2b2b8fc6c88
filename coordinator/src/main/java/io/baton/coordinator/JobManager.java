package io.baton.coordinator;

import io.baton.common.config.CheckpointingOptions;
import io.baton.common.config.ConfigOption;
import io.baton.common.config.Configuration;
import io.baton.common.config.IllegalConfigurationException;
import io.baton.common.config.JobManagerOptions;
import io.baton.common.config.TaskManagerOptions;
import io.baton.coordinator.blob.BlobStore;
import io.baton.coordinator.blob.LocalBlobStore;
import io.baton.coordinator.checkpoint.CheckpointServices;
import io.baton.coordinator.dispatcher.Dispatcher;
import io.baton.coordinator.dispatcher.DispatcherGateway;
import io.baton.coordinator.failover.RestartStrategyFactory;
import io.baton.coordinator.metrics.JobManagerMetrics;
import io.baton.coordinator.metrics.PrometheusRegistries;
import io.baton.coordinator.metrics.ResourceManagerMetrics;
import io.baton.coordinator.resourcemanager.ResourceManager;
import io.baton.coordinator.resourcemanager.ResourceManagerSettings;
import io.baton.coordinator.rpc.GrpcTaskManagerGateway;
import io.baton.coordinator.rpc.JobManagerRpcService;
import io.baton.coordinator.rpc.RpcServer;
import io.baton.coordinator.rpc.SingleThreadMainThreadExecutor;
import io.baton.ha.HighAvailabilityServices;
import io.baton.storage.FileStores;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JobManager process in non-HA mode: the resource manager (TaskManagers, slots, heartbeats),
 * the dispatcher (jobs, one job master each), the gRPC endpoint TaskManagers talk to, the REST API
 * and the Prometheus registry. Its fencing token is a fresh random UUID per start.
 */
public final class JobManager implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobManager.class);

  /** Deadline of every call to a TaskManager. */
  public static final Duration DEFAULT_RPC_TIMEOUT = Duration.ofSeconds(10);

  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private final String fencingToken;
  private final PrometheusMeterRegistry meterRegistry;
  private final ResourceManager resourceManager;
  private final Dispatcher dispatcher;
  private final RpcServer rpcServer;
  private final RestEndpoint restEndpoint;
  private final int restPort;
  // closed last: the checkpoint I/O threads and the storage clients
  private final List<AutoCloseable> storage;

  private JobManager(
      String fencingToken,
      PrometheusMeterRegistry meterRegistry,
      ResourceManager resourceManager,
      Dispatcher dispatcher,
      RpcServer rpcServer,
      RestEndpoint restEndpoint,
      int restPort,
      List<AutoCloseable> storage) {
    this.storage = storage;
    this.fencingToken = fencingToken;
    this.meterRegistry = meterRegistry;
    this.resourceManager = resourceManager;
    this.dispatcher = dispatcher;
    this.rpcServer = rpcServer;
    this.restEndpoint = restEndpoint;
    this.restPort = restPort;
  }

  /**
   * Starts a JobManager with the REST API, keeping uploaded jars under the first of {@code
   * io.tmp.dirs}.
   *
   * @throws io.baton.common.config.IllegalConfigurationException for a bad configuration value
   * @throws io.baton.coordinator.rpc.PortInUseException when the RPC port is taken
   */
  public static JobManager start(Configuration config) throws Exception {
    return start(config, LocalBlobStore.inTmpDirs(config));
  }

  /**
   * Starts a JobManager with the REST API.
   *
   * @throws io.baton.common.config.IllegalConfigurationException for a bad configuration value
   * @throws io.baton.coordinator.rpc.PortInUseException when the RPC port is taken
   */
  public static JobManager start(Configuration config, BlobStore blobStore) throws Exception {
    return builder(config, blobStore).start();
  }

  public static Builder builder(Configuration config, BlobStore blobStore) {
    return new Builder(config, blobStore);
  }

  /** The port TaskManagers reach the gRPC endpoint at. */
  public int rpcPort() {
    return rpcServer.port();
  }

  /** The REST API's port, or -1 when started without one. */
  public int restPort() {
    return restPort;
  }

  public DispatcherGateway dispatcher() {
    return dispatcher;
  }

  public String fencingToken() {
    return fencingToken;
  }

  public PrometheusMeterRegistry meterRegistry() {
    return meterRegistry;
  }

  /**
   * Stops serving REST and RPC, suspends running jobs (cancelling their tasks, freeing their slots)
   * and lets go of the TaskManagers; each step waits a few seconds at most.
   */
  @Override
  public void close() {
    LOG.info("Stopping the JobManager");
    restEndpoint.close();
    // no more TaskManager calls: their reports could not reach a closing dispatcher anyway
    rpcServer.close(CLOSE_TIMEOUT);
    dispatcher.close(CLOSE_TIMEOUT);
    resourceManager.close(CLOSE_TIMEOUT);
    for (AutoCloseable c : storage) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("Closing checkpoint storage failed", e);
      }
    }
    meterRegistry.close();
    LOG.info("JobManager stopped");
  }

  /** Lets checkpoint deletions in flight finish for a few seconds, then stops the threads. */
  private static void stopIo(ExecutorService io) throws InterruptedException {
    io.shutdown();
    if (!io.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      io.shutdownNow();
    }
  }

  /**
   * Writes, reads back and deletes a probe file in every configured storage location, so a wrong
   * scheme, a missing bucket, bad credentials or a namenode that is down stop start-up with one
   * line naming the key and the URI, not the first checkpoint.
   */
  private static void checkStorageLocations(Configuration config, FileStores fileStores) {
    for (ConfigOption<String> option :
        List.of(
            CheckpointingOptions.CHECKPOINTS_DIRECTORY, CheckpointingOptions.SAVEPOINT_DIRECTORY)) {
      Optional<String> location = config.getOptional(option);
      if (location.isPresent()) {
        URI uri;
        try {
          uri = FileStores.toUri(location.get());
        } catch (IllegalArgumentException e) {
          throw new IllegalConfigurationException(
              "invalid " + option.key() + " '" + location.get() + "': " + e.getMessage(), e);
        }
        fileStores.checkWritable(uri, option.key());
      }
    }
  }

  /** Assembles a JobManager; the clock, RPC timeout and REST endpoint can be replaced. */
  public static final class Builder {
    private final Configuration config;
    private final BlobStore blobStore;
    private RestEndpoint.Factory restEndpoints = RestEndpoint.restServer();
    private Clock clock = Clock.systemUTC();
    private Duration rpcTimeout = DEFAULT_RPC_TIMEOUT;

    private Builder(Configuration config, BlobStore blobStore) {
      this.config = config;
      this.blobStore = blobStore;
    }

    public Builder restEndpoint(RestEndpoint.Factory factory) {
      this.restEndpoints = factory;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public Builder rpcTimeout(Duration timeout) {
      this.rpcTimeout = timeout;
      return this;
    }

    /**
     * Starts every part; on failure stops what already started and rethrows.
     *
     * @throws io.baton.common.config.IllegalConfigurationException for a bad configuration value
     * @throws io.baton.coordinator.rpc.PortInUseException when the RPC port is taken
     */
    public JobManager start() throws Exception {
      // read everything first so a bad value stops start-up before anything binds
      ResourceManagerSettings rmSettings = ResourceManagerSettings.fromConfiguration(config);
      String bindHost = config.get(JobManagerOptions.BIND_HOST);
      int rpcPort = config.get(JobManagerOptions.PORT);
      Duration cancelTimeout =
          config.get(TaskManagerOptions.TASK_CANCELLATION_TIMEOUT).plus(rpcTimeout);
      RestartStrategyFactory restartStrategies = new RestartStrategyFactory(clock, new Random());
      // a job with a bad restart-strategy value would otherwise only fail at submission
      restartStrategies.create(config, Map.of());

      String fencingToken = UUID.randomUUID().toString();
      PrometheusMeterRegistry registry = PrometheusRegistries.create();
      List<AutoCloseable> started = new ArrayList<>();
      try {
        ResourceManager resourceManager =
            new ResourceManager(
                new SingleThreadMainThreadExecutor("baton-resource-manager"),
                clock,
                fencingToken,
                rmSettings,
                GrpcTaskManagerGateway.factory(fencingToken, rpcTimeout),
                new ResourceManagerMetrics(registry));
        started.add(() -> resourceManager.close(CLOSE_TIMEOUT));
        resourceManager.start();

        FileStores fileStores = new FileStores(config);
        started.add(fileStores);
        checkStorageLocations(config, fileStores);
        AtomicInteger ioThreads = new AtomicInteger();
        ExecutorService checkpointIo =
            Executors.newFixedThreadPool(
                2,
                r -> {
                  Thread t = new Thread(r, "baton-checkpoint-io-" + ioThreads.incrementAndGet());
                  t.setDaemon(true);
                  return t;
                });
        started.add(() -> stopIo(checkpointIo));
        CheckpointServices checkpointServices =
            new CheckpointServices(fileStores, HighAvailabilityServices.standalone(), checkpointIo);

        Dispatcher dispatcher =
            new Dispatcher(
                new SingleThreadMainThreadExecutor("baton-dispatcher"),
                config,
                resourceManager,
                restartStrategies,
                jobId -> new SingleThreadMainThreadExecutor("baton-jobmaster-" + jobId),
                clock,
                new JobManagerMetrics(registry),
                cancelTimeout,
                checkpointServices);
        started.add(() -> dispatcher.close(CLOSE_TIMEOUT));

        RpcServer rpcServer =
            RpcServer.start(
                bindHost,
                rpcPort,
                JobManagerOptions.PORT.key(),
                new JobManagerRpcService(resourceManager, dispatcher, blobStore));
        started.add(() -> rpcServer.close(CLOSE_TIMEOUT));

        RestEndpoint rest = restEndpoints.create(config, dispatcher, blobStore, registry);
        started.add(rest);
        int restPort = rest.start();

        LOG.info(
            "JobManager started: RPC on {}:{}, REST on port {}, fencing token {}",
            bindHost,
            rpcServer.port(),
            restPort,
            fencingToken);
        return new JobManager(
            fencingToken,
            registry,
            resourceManager,
            dispatcher,
            rpcServer,
            rest,
            restPort,
            List.of(() -> stopIo(checkpointIo), fileStores));
      } catch (Exception | Error e) {
        for (int i = started.size() - 1; i >= 0; i--) {
          try {
            started.get(i).close();
          } catch (Exception closing) {
            e.addSuppressed(closing);
          }
        }
        registry.close();
        throw e;
      }
    }
  }
}
