package io.baton.taskmanager;

import io.baton.common.cluster.RpcAddress;
import io.baton.common.config.Configuration;
import io.baton.common.config.HighAvailabilityOptions;
import io.baton.common.config.IllegalConfigurationException;
import io.baton.common.config.JobManagerOptions;
import io.baton.common.config.MetricOptions;
import io.baton.common.config.TaskManagerOptions;
import io.baton.common.config.TmpDirs;
import io.baton.common.diagnostics.LogDirectory;
import io.baton.common.files.DirectoryTree;
import io.baton.common.ids.TaskManagerId;
import io.baton.taskmanager.executor.NetworkEnvironmentFactory;
import io.baton.taskmanager.executor.TaskExecutor;
import io.baton.taskmanager.executor.TaskFactory;
import io.baton.taskmanager.metrics.MetricsEndpoint;
import io.baton.taskmanager.metrics.MetricsPortUnavailableException;
import io.baton.taskmanager.network.GrpcNetworkEnvironment;
import io.baton.taskmanager.network.NetworkEnvironment;
import io.baton.taskmanager.rpc.GrpcBlobDownloader;
import io.baton.taskmanager.rpc.GrpcJobManagerGateway;
import io.baton.taskmanager.rpc.TaskManagerDiagnosticsRpcService;
import io.baton.taskmanager.rpc.TaskManagerRpcServer;
import io.grpc.Server;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running TaskManager: one gRPC server (TaskManagerService for the JobManager,
 * DataExchangeService for other TaskManagers), its slots and tasks, and its registration with the
 * JobManager, which in HA mode (high-availability.type: zookeeper) it finds through leader
 * retrieval on ZooKeeper. {@link TaskManagerEntrypoint} runs one as a process; tests run several in
 * one JVM.
 */
public final class TaskManager implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TaskManager.class);
  private static final Duration SERVER_SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration BLOB_DOWNLOAD_TIMEOUT = Duration.ofMinutes(5);

  private final TaskManagerId id;
  private final Configuration config;
  private final Server server;
  private final NetworkEnvironment network;
  private final TaskExecutor executor;
  private final Path workDir;

  /** HA mode only: the HA services leader retrieval runs on; null otherwise. */
  private final LeaderConnection zooKeeper;

  /** The Prometheus endpoint; null when metrics.reporter.prom.port is not set. */
  private final MetricsEndpoint metrics;

  private final CompletableFuture<Void> termination = new CompletableFuture<>();
  private final AtomicBoolean closing = new AtomicBoolean();

  private TaskManager(
      TaskManagerId id,
      Configuration config,
      Server server,
      NetworkEnvironment network,
      TaskExecutor executor,
      Path workDir,
      LeaderConnection zooKeeper,
      MetricsEndpoint metrics) {
    this.id = id;
    this.metrics = metrics;
    this.zooKeeper = zooKeeper;
    this.config = config;
    this.server = server;
    this.network = network;
    this.executor = executor;
    this.workDir = workDir;
  }

  /**
   * Starts a TaskManager with the standard tasks and data plane.
   *
   * @throws IllegalConfigurationException for a bad configuration value
   * @throws TaskManagerStartupException when the RPC port is taken or the server cannot start
   */
  public static TaskManager start(Configuration config) {
    return start(config, defaultNetwork(), TaskFactory.standard());
  }

  /**
   * Starts a TaskManager whose data plane and tasks come from the given factories.
   *
   * @throws IllegalConfigurationException for a bad configuration value
   * @throws TaskManagerStartupException when the RPC port or every metrics port is taken, the
   *     server cannot start, or (in HA mode) the ZooKeeper quorum cannot be reached
   */
  public static TaskManager start(
      Configuration config, NetworkEnvironmentFactory networkFactory, TaskFactory taskFactory) {
    int slots = config.get(TaskManagerOptions.NUM_TASK_SLOTS);
    if (slots < 1) {
      throw new IllegalConfigurationException(
          "invalid value '"
              + slots
              + "' for configuration key '"
              + TaskManagerOptions.NUM_TASK_SLOTS.key()
              + "': expected at least 1");
    }
    String host = config.get(TaskManagerOptions.HOST);
    String bindHost = config.get(TaskManagerOptions.BIND_HOST);
    int port = config.get(TaskManagerOptions.RPC_PORT);
    if (port < 0 || port > 65535) {
      throw new IllegalConfigurationException(
          "invalid value '"
              + port
              + "' for configuration key '"
              + TaskManagerOptions.RPC_PORT.key()
              + "': expected a port between 0 and 65535");
    }
    // an active resource manager names the worker it starts, to match it at registration
    TaskManagerId id =
        config
            .getOptional(TaskManagerOptions.RESOURCE_ID)
            .map(TaskManagerId::new)
            .orElseGet(TaskManagerId::random);
    Path workDir = TmpDirs.first(config).resolve("baton-tm-" + id.value());

    // connect first: an unreachable quorum stops start-up before anything else is running
    LeaderConnection zooKeeper =
        config.get(HighAvailabilityOptions.TYPE) == HighAvailabilityOptions.Type.ZOOKEEPER
            ? LeaderConnection.connect(config)
            : null;
    NetworkEnvironment network;
    TaskExecutor executor;
    try {
      network = networkFactory.create(config, id.value());
      GrpcJobManagerGateway jobManager =
          zooKeeper == null
              ? GrpcJobManagerGateway.toConfiguredAddress(config)
              : GrpcJobManagerGateway.unconnected(config);
      GrpcBlobDownloader blobs = new GrpcBlobDownloader(jobManager, BLOB_DOWNLOAD_TIMEOUT);
      executor =
          zooKeeper == null
              ? new TaskExecutor(config, id, network, taskFactory, workDir, jobManager, blobs)
              : TaskExecutor.followingLeader(
                  config,
                  id,
                  network,
                  taskFactory,
                  workDir,
                  jobManager,
                  blobs,
                  zooKeeper.retrieval());
    } catch (RuntimeException e) {
      if (zooKeeper != null) {
        zooKeeper.close();
      }
      throw e;
    }
    Server server;
    // the metrics endpoint starts after the RPC server; until then (and without one) -1
    AtomicInteger metricsPort = new AtomicInteger(-1);
    try {
      server =
          TaskManagerRpcServer.start(
              config,
              new InetSocketAddress(bindHost, port),
              executor,
              new TaskManagerDiagnosticsRpcService(
                  id.value(), LogDirectory.ofThisProcess(), metricsPort::get),
              network.dataExchangeService());
    } catch (IOException | RuntimeException e) {
      executor.close(Duration.ZERO);
      network.close();
      if (zooKeeper != null) {
        zooKeeper.close();
      }
      if (isBindFailure(e)) {
        throw new TaskManagerStartupException(
            TaskManagerOptions.RPC_PORT.key() + " " + port + " is already in use", e);
      }
      throw new TaskManagerStartupException(
          "cannot start the RPC server on " + bindHost + ":" + port + ": " + e.getMessage(), e);
    }
    MetricsEndpoint metrics;
    try {
      metrics =
          MetricsEndpoint.startIfConfigured(
                  config,
                  bindHost,
                  id.value(),
                  executor,
                  zooKeeper == null ? null : zooKeeper::connectionState)
              .orElse(null);
    } catch (RuntimeException e) {
      executor.close(Duration.ZERO);
      server.shutdownNow();
      network.close();
      if (zooKeeper != null) {
        zooKeeper.close();
      }
      if (e instanceof MetricsPortUnavailableException) {
        throw new TaskManagerStartupException(e.getMessage(), e);
      }
      throw e;
    }
    TaskManager taskManager =
        new TaskManager(id, config, server, network, executor, workDir, zooKeeper, metrics);
    LOG.info(
        "Started TaskManager {} at {}:{} (bound to {}) with {} slot(s); JobManager {}",
        id,
        host,
        server.getPort(),
        bindHost,
        slots,
        zooKeeper == null
            ? "at "
                + config.get(JobManagerOptions.ADDRESS)
                + ":"
                + config.get(JobManagerOptions.PORT)
            : "is the leader published under " + zooKeeper.describe());
    if (metrics != null) {
      metricsPort.set(metrics.port());
      LOG.info(
          "TaskManager {} serves Prometheus metrics at http://{}:{}/metrics ({} {})",
          id,
          host,
          metrics.port(),
          MetricOptions.PROMETHEUS_PORT.key(),
          config.get(MetricOptions.PROMETHEUS_PORT));
    }
    executor
        .fatalError()
        .thenAcceptAsync(
            message -> taskManager.shutDown(new TaskManagerStartupException(message)),
            runnable ->
                new Thread(runnable, "baton-tm-fatal-" + id.value().substring(0, 8)).start());
    executor.start(new RpcAddress(host, server.getPort()));
    return taskManager;
  }

  /** The configuration it was started with. */
  public Configuration configuration() {
    return config;
  }

  public TaskManagerId id() {
    return id;
  }

  /** The port the RPC server listens on (the chosen one when taskmanager.rpc.port is 0). */
  public int rpcPort() {
    return server.getPort();
  }

  /** The port of its Prometheus endpoint; empty when metrics.reporter.prom.port is not set. */
  public OptionalInt metricsPort() {
    return metrics == null ? OptionalInt.empty() : OptionalInt.of(metrics.port());
  }

  /**
   * Completes when the TaskManager has stopped: normally after {@link #close}, exceptionally (with
   * a {@link TaskManagerStartupException}) when it could not go on.
   */
  public CompletableFuture<Void> terminationFuture() {
    return termination;
  }

  /**
   * Cancels the tasks (waiting up to task.cancellation.timeout for them), stops heartbeating and
   * following the leader, shuts the RPC server down and closes the ZooKeeper client. Idempotent.
   */
  @Override
  public void close() {
    shutDown(null);
  }

  /** Stops; then completes the termination future normally, or with {@code failure}. */
  private void shutDown(Throwable failure) {
    if (!closing.compareAndSet(false, true)) {
      termination.exceptionally(e -> null).join();
      return;
    }
    LOG.info("Stopping TaskManager {}", id);
    try {
      executor.close(config.get(TaskManagerOptions.TASK_CANCELLATION_TIMEOUT));
      server.shutdown();
      try {
        if (!server.awaitTermination(SERVER_SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          server.shutdownNow();
          server.awaitTermination(SERVER_SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        server.shutdownNow();
        Thread.currentThread().interrupt();
      }
      network.close();
      if (metrics != null) {
        metrics.close();
      }
      if (zooKeeper != null) {
        zooKeeper.close();
      }
      deleteRecursively(workDir);
      LOG.info("TaskManager {} stopped", id);
    } finally {
      if (failure == null) {
        termination.complete(null);
      } else {
        termination.completeExceptionally(failure);
      }
    }
  }

  /** The single place that picks the production data plane. */
  private static NetworkEnvironmentFactory defaultNetwork() {
    return GrpcNetworkEnvironment::new;
  }

  private static boolean isBindFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException
          || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
        return true;
      }
    }
    return false;
  }

  private static void deleteRecursively(Path dir) {
    try {
      DirectoryTree.delete(dir);
    } catch (IOException e) {
      LOG.warn("Could not delete the work directory {} of TaskManager", dir, e);
    }
  }
}
