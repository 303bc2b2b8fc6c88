package io.baton.coordinator;

import io.baton.common.config.CheckpointingOptions;
import io.baton.common.config.ConfigOption;
import io.baton.common.config.Configuration;
import io.baton.common.config.HighAvailabilityOptions;
import io.baton.common.config.IllegalConfigurationException;
import io.baton.common.config.JobManagerOptions;
import io.baton.common.config.RestOptions;
import io.baton.common.config.SecurityOptions;
import io.baton.common.config.TaskManagerOptions;
import io.baton.common.metrics.ProcessMetrics;
import io.baton.common.metrics.StateGauges;
import io.baton.common.rpc.GrpcServerFactory;
import io.baton.coordinator.blob.BlobStore;
import io.baton.coordinator.blob.LocalBlobStore;
import io.baton.coordinator.checkpoint.CheckpointServices;
import io.baton.coordinator.dispatcher.DispatcherGateway;
import io.baton.coordinator.failover.RestartStrategyFactory;
import io.baton.coordinator.ha.JobManagerLeadership;
import io.baton.coordinator.ha.LeaderDispatcherGateway;
import io.baton.coordinator.ha.LeaderRpcRouting;
import io.baton.coordinator.ha.LeaderSession;
import io.baton.coordinator.ha.LeaderStoresFactory;
import io.baton.coordinator.metrics.JobManagerMetrics;
import io.baton.coordinator.metrics.ResourceManagerMetrics;
import io.baton.coordinator.resourcemanager.ResourceManagerSettings;
import io.baton.coordinator.resourcemanager.WorkerDriverFactory;
import io.baton.coordinator.rest.ClusterShutdown;
import io.baton.coordinator.rest.HaStatus;
import io.baton.coordinator.rpc.JobManagerRpcService;
import io.baton.coordinator.rpc.RpcServer;
import io.baton.coordinator.scheduler.SuspendedTasks;
import io.baton.ha.HighAvailabilityServices;
import io.baton.ha.LeaderElectionService;
import io.baton.ha.ZooKeeperConnectionState;
import io.baton.ha.factory.HighAvailabilityServicesFactory;
import io.baton.storage.FileStores;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
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
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JobManager process: the gRPC endpoint TaskManagers talk to, the REST API and the Prometheus
 * registry stay up whether it leads or not. It contends for leadership ({@code
 * high-availability.type: zookeeper}: a ZooKeeper leader latch; {@code none}: it leads at once,
 * alone); while it leads, a {@link LeaderSession} runs the resource manager (TaskManagers, slots,
 * heartbeats) and the dispatcher (jobs, one job master each) under that leadership's fencing token.
 * A standby answers TaskManagers and REST writes with where the leader is.
 */
public final class JobManager implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobManager.class);

  /** Deadline of every call to a TaskManager. */
  public static final Duration DEFAULT_RPC_TIMEOUT = Duration.ofSeconds(10);

  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private static final String ZOOKEEPER_CONNECTION_METRIC = "baton.zookeeper.connection.state";
  private static final String ZOOKEEPER_CONNECTION_DESCRIPTION =
      "1 for the state of this JobManager's ZooKeeper connection, 0 for the others";

  /** How long a JobManager without high availability waits for its own leadership at start. */
  private static final Duration STANDALONE_GRANT_TIMEOUT = Duration.ofSeconds(30);

  private final PrometheusMeterRegistry meterRegistry;
  private final JobManagerLeadership leadership;
  private final DispatcherGateway dispatcher;
  private final HaStatus.Source haStatus;
  private final RpcServer rpcServer;
  private final RestEndpoint restEndpoint;
  private final int restPort;
  // closed last, in this order: checkpoint I/O threads, storage, ZooKeeper
  private final List<AutoCloseable> services;

  private JobManager(
      PrometheusMeterRegistry meterRegistry,
      JobManagerLeadership leadership,
      DispatcherGateway dispatcher,
      HaStatus.Source haStatus,
      RpcServer rpcServer,
      RestEndpoint restEndpoint,
      int restPort,
      List<AutoCloseable> services) {
    this.meterRegistry = meterRegistry;
    this.leadership = leadership;
    this.dispatcher = dispatcher;
    this.haStatus = haStatus;
    this.rpcServer = rpcServer;
    this.restEndpoint = restEndpoint;
    this.restPort = restPort;
    this.services = services;
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

  /** The current leadership's dispatcher; its calls fail while this JobManager does not lead. */
  public DispatcherGateway dispatcher() {
    return dispatcher;
  }

  /** The fencing token of the current leadership (its session id); null on a standby. */
  public String fencingToken() {
    LeaderSession session = leadership.session();
    return session == null ? null : session.fencingToken();
  }

  /** Whether this JobManager leads and serves (its jobs recovered and its address published). */
  public boolean isLeader() {
    return leadership.confirmedSession() != null;
  }

  /** What {@code GET /ha} answers. */
  public HaStatus haStatus() {
    return haStatus.current();
  }

  public PrometheusMeterRegistry meterRegistry() {
    return meterRegistry;
  }

  /**
   * Leaves the leader election first, so another JobManager takes over at once; then suspends the
   * running jobs (they stay in the job graph store for the next leader; with high availability and
   * {@code jobmanager.failover.reconcile} their tasks keep running for the next leader to adopt,
   * otherwise they are cancelled), lets go of the TaskManagers and stops serving REST and RPC. Each
   * step waits a few seconds at most.
   */
  @Override
  public void close() {
    LOG.info("Stopping the JobManager");
    leadership.close();
    restEndpoint.close();
    rpcServer.close(CLOSE_TIMEOUT);
    for (AutoCloseable c : services) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("Closing {} failed", c, e);
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

  /**
   * Assembles a JobManager; the clock, RPC timeout, REST endpoint and HA stores can be replaced.
   */
  public static final class Builder {
    private final Configuration config;
    private final BlobStore blobStore;
    private RestEndpoint.Factory restEndpoints = RestEndpoint.restServer();
    private Clock clock = Clock.systemUTC();
    private Duration rpcTimeout = DEFAULT_RPC_TIMEOUT;
    private LeaderStoresFactory leaderStores;
    private String instanceId = UUID.randomUUID().toString();
    private WorkerDriverFactory workerDrivers;
    private ClusterShutdown clusterShutdown;

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
     * This process's instance id (default: a random UUID), which its RPC endpoint answers to {@code
     * Identify} and which it publishes in {@code leader/info} when it leads.
     */
    public Builder instanceId(String instanceId) {
      this.instanceId = instanceId;
      return this;
    }

    /**
     * Who starts the TaskManagers of each leadership session, instead of the driver {@code
     * resourcemanager.driver} names (a JobManager inside a YARN ApplicationMaster passes its own).
     */
    public Builder workerDrivers(WorkerDriverFactory factory) {
      this.workerDrivers = factory;
      return this;
    }

    /**
     * What {@code DELETE /cluster} asks to end the cluster for good (a YARN session's
     * ApplicationMaster passes its own); without one the route is refused.
     */
    public Builder clusterShutdown(ClusterShutdown shutdown) {
      this.clusterShutdown = shutdown;
      return this;
    }

    /**
     * The stores each leadership session writes to, instead of the ZooKeeper stores under {@code
     * high-availability.storageDir} (in mode {@code zookeeper}) or one in-memory set (mode {@code
     * none}).
     */
    public Builder leaderStores(LeaderStoresFactory factory) {
      this.leaderStores = factory;
      return this;
    }

    /**
     * Starts every part; on failure stops what already started and rethrows. In mode {@code none}
     * it returns once this JobManager leads; in mode {@code zookeeper} once it entered the
     * election.
     *
     * @throws io.baton.common.config.IllegalConfigurationException for a bad configuration value
     * @throws io.baton.coordinator.rpc.PortInUseException when the RPC port is taken
     * @throws IllegalStateException with one line when the ZooKeeper quorum cannot be reached
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
      boolean highAvailability =
          config.get(HighAvailabilityOptions.TYPE) == HighAvailabilityOptions.Type.ZOOKEEPER;

      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      ProcessMetrics processMetrics = ProcessMetrics.bindTo(registry);
      List<AutoCloseable> started = new ArrayList<>();
      started.add(processMetrics);
      try {
        FileStores fileStores = new FileStores(config);
        started.add(fileStores);
        checkStorageLocations(config, fileStores);
        HighAvailabilityServices ha = HighAvailabilityServicesFactory.create(config, fileStores);
        started.add(ha);
        if (ha.connectionState().isPresent()) {
          StateGauges.register(
              registry,
              ZOOKEEPER_CONNECTION_METRIC,
              ZOOKEEPER_CONNECTION_DESCRIPTION,
              ZooKeeperConnectionState.class,
              () -> ha.connectionState().orElseThrow());
        }
        AtomicInteger ioThreads = new AtomicInteger();
        ExecutorService io =
            Executors.newFixedThreadPool(
                2,
                r -> {
                  Thread t = new Thread(r, "baton-checkpoint-io-" + ioThreads.incrementAndGet());
                  t.setDaemon(true);
                  return t;
                });
        started.add(0, () -> stopIo(io));

        LeaderStoresFactory stores = leaderStores;
        if (stores == null) {
          stores = ha::leaderStores;
        }
        LeaderStoresFactory sessionStores = stores;
        // the election exists only once the REST port (part of the contender id) is bound
        AtomicReference<LeaderElectionService> electionRef = new AtomicReference<>();
        ResourceManagerMetrics rmMetrics = new ResourceManagerMetrics(registry);
        // workers started by the resource manager need the RPC port, bound further down
        AtomicInteger boundRpcPort = new AtomicInteger();
        JobManagerMetrics jobMetrics = new JobManagerMetrics(registry);
        HaConsole console = HaConsole.start(config, fileStores);
        started.add(0, console);
        JobManagerLeadership leadership =
            new JobManagerLeadership(
                new LeaderSessions(
                    config,
                    blobStore,
                    clock,
                    rpcTimeout,
                    rmSettings,
                    rmMetrics,
                    jobMetrics,
                    restartStrategies,
                    cancelTimeout,
                    new CheckpointServices(
                        fileStores, HighAvailabilityServicesFactory.inMemoryStores(), io),
                    sessionId -> sessionStores.create(electionRef.get(), sessionId),
                    workerDrivers != null ? workerDrivers : new WorkerDrivers(config),
                    boundRpcPort::get),
                clock,
                CLOSE_TIMEOUT,
                // without high availability no successor adopts the tasks of a stopped leader
                highAvailability && config.get(JobManagerOptions.FAILOVER_RECONCILE)
                    ? SuspendedTasks.HAND_OVER
                    : SuspendedTasks.CANCEL,
                console);
        started.add(0, leadership);

        RpcServer rpcServer =
            RpcServer.start(
                GrpcServerFactory.fromConfiguration(config),
                bindHost,
                rpcPort,
                JobManagerOptions.PORT.key(),
                new JobManagerRpcService(
                    new LeaderRpcRouting(leadership),
                    new LeaderRpcRouting(leadership),
                    blobStore,
                    instanceId));
        started.add(0, () -> rpcServer.close(CLOSE_TIMEOUT));
        boundRpcPort.set(rpcServer.port());

        DispatcherGateway dispatcher = new LeaderDispatcherGateway(leadership);
        RestEndpoint rest =
            restEndpoints.create(config, dispatcher, blobStore, registry, console, clusterShutdown);
        started.add(0, rest);
        int restPort = rest.start();

        String rpcAddress = config.get(JobManagerOptions.ADDRESS) + ":" + rpcServer.port();
        String contenderId =
            restPort > 0 ? config.get(RestOptions.ADDRESS) + ":" + restPort : rpcAddress;
        String restScheme = config.get(SecurityOptions.SSL_REST_ENABLED) ? "https://" : "http://";
        String restUrl = restPort > 0 ? restScheme + contenderId : "";
        LeaderElectionService election = ha.leaderElectionService(contenderId);
        console.bind(ha, election, leadership, contenderId, rpcAddress, restUrl, clock, rpcTimeout);
        Gauge.builder(
                "baton.jobmanager.leader", leadership, l -> l.confirmedSession() != null ? 1 : 0)
            .description("1 while this JobManager leads, else 0")
            .register(registry);

        List<AutoCloseable> services = new ArrayList<>();
        electionRef.set(election);
        leadership.start(election, rpcAddress, restUrl, instanceId);
        LOG.info(
            "JobManager {} (instance {}) started ({}): RPC on {}:{}, REST on port {}",
            contenderId,
            instanceId,
            highAvailability
                ? "high-availability.type zookeeper, contending for leadership"
                : "no high availability",
            bindHost,
            rpcServer.port(),
            restPort);
        if (!highAvailability) {
          leadership
              .firstConfirmation()
              .get(STANDALONE_GRANT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        services.add(() -> stopIo(io));
        services.add(fileStores);
        services.add(ha);
        services.add(processMetrics);
        services.add(0, console);
        return new JobManager(
            registry, leadership, dispatcher, console, rpcServer, rest, restPort, services);
      } catch (Exception | Error e) {
        for (AutoCloseable c : started) {
          try {
            c.close();
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
