package io.baton.taskmanager.metrics;

import io.baton.common.config.Configuration;
import io.baton.common.config.MetricOptions;
import io.baton.common.config.PortRange;
import io.baton.common.metrics.ProcessMetrics;
import io.baton.common.metrics.StateGauges;
import io.baton.ha.ZooKeeperConnectionState;
import io.baton.taskmanager.executor.TaskExecutor;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TaskManager's Prometheus endpoint on {@code metrics.reporter.prom.port}: its own figures
 * ({@link TaskManagerMetrics}), its ZooKeeper connection (in HA mode) and the JVM's and process's.
 * Each scrape asks the TaskExecutor's main thread for its figures and waits a bounded time; a main
 * thread too busy to answer leaves the previous figures in the answer.
 */
public final class MetricsEndpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsEndpoint.class);
  private static final Duration FIGURES_TIMEOUT = Duration.ofSeconds(2);

  private final PrometheusMeterRegistry registry;
  private final ProcessMetrics processMetrics;
  private final MetricsHttpServer server;

  private MetricsEndpoint(
      PrometheusMeterRegistry registry, ProcessMetrics processMetrics, MetricsHttpServer server) {
    this.registry = registry;
    this.processMetrics = processMetrics;
    this.server = server;
  }

  /**
   * Starts serving when {@code metrics.reporter.prom.port} is set.
   *
   * @param zooKeeper this TaskManager's ZooKeeper connection state; null without high availability
   * @return empty when the key is not set
   * @throws MetricsPortUnavailableException naming the key when no port of its range is free
   */
  public static Optional<MetricsEndpoint> startIfConfigured(
      Configuration config,
      String bindHost,
      String taskManagerId,
      TaskExecutor executor,
      Supplier<ZooKeeperConnectionState> zooKeeper) {
    Optional<String> ports = config.getOptional(MetricOptions.PROMETHEUS_PORT);
    if (ports.isEmpty()) {
      return Optional.empty();
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ProcessMetrics processMetrics = ProcessMetrics.bindTo(registry);
    TaskManagerMetrics own = new TaskManagerMetrics(registry, executor.checkpointAckTimes());
    if (zooKeeper != null) {
      StateGauges.register(
          registry,
          "baton.zookeeper.connection.state",
          "1 for the state of this TaskManager's ZooKeeper connection, 0 for the others",
          ZooKeeperConnectionState.class,
          zooKeeper);
    }
    Supplier<String> scrape =
        () -> {
          refresh(own, executor, taskManagerId);
          return registry.scrape();
        };
    try {
      MetricsHttpServer server =
          MetricsHttpServer.start(
              bindHost,
              PortRange.parse(ports.get()),
              MetricOptions.PROMETHEUS_PORT.key(),
              "baton-tm-metrics-" + taskManagerId.substring(0, Math.min(8, taskManagerId.length())),
              scrape);
      return Optional.of(new MetricsEndpoint(registry, processMetrics, server));
    } catch (RuntimeException e) {
      processMetrics.close();
      registry.close();
      throw e;
    }
  }

  private static void refresh(TaskManagerMetrics own, TaskExecutor executor, String id) {
    try {
      own.update(executor.figures().get(FIGURES_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
    } catch (TimeoutException e) {
      LOG.warn(
          "TaskManager {}: its main thread gave no figures within {} ms; the scrape shows the"
              + " previous ones",
          id,
          FIGURES_TIMEOUT.toMillis());
    } catch (ExecutionException e) {
      LOG.debug("TaskManager {}: no figures (it is shutting down?)", id, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The port it listens on. */
  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.close();
    processMetrics.close();
    registry.close();
  }
}
