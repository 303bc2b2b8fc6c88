package io.baton.coordinator.rest;

import io.baton.coordinator.dispatcher.DispatcherGateway;
import io.baton.coordinator.rest.ResponseBodies.ClusterConfig;
import io.baton.coordinator.rest.ResponseBodies.Overview;
import io.baton.coordinator.rest.ResponseBodies.TaskManager;
import io.baton.coordinator.rest.ResponseBodies.TaskManagers;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.ZoneId;
import java.time.format.TextStyle;
import java.util.Locale;

/** The cluster as a whole: {@code /overview}, {@code /taskmanagers}, {@code /metrics}. */
final class ClusterHandlers {
  /** The Prometheus text exposition format. */
  static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final DispatcherGateway dispatcher;
  private final DispatcherCalls calls;
  private final PrometheusMeterRegistry registry;
  private final Clock clock;
  private final String version;

  ClusterHandlers(
      DispatcherGateway dispatcher,
      DispatcherCalls calls,
      PrometheusMeterRegistry registry,
      Clock clock,
      String version) {
    this.dispatcher = dispatcher;
    this.calls = calls;
    this.registry = registry;
    this.clock = clock;
    this.version = version;
  }

  void overview(Context ctx) {
    ctx.json(
        Overview.of(calls.await(dispatcher.requestClusterOverview(), "GET /overview"), version));
  }

  void taskManagers(Context ctx) {
    ctx.json(
        new TaskManagers(
            calls.await(dispatcher.requestTaskManagers(), "GET /taskmanagers").stream()
                .map(TaskManager::of)
                .toList()));
  }

  void metrics(Context ctx) {
    ctx.contentType(PROMETHEUS_CONTENT_TYPE).result(registry.scrape());
  }

  void config(Context ctx) {
    ZoneId zone = clock.getZone();
    ctx.json(
        ClusterConfig.of(
            3000,
            zone.getDisplayName(TextStyle.FULL, Locale.ROOT),
            zone.getRules().getOffset(clock.instant()).getTotalSeconds() * 1000L,
            version));
  }
}
