package io.baton.coordinator.rest;

import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Times every request as {@code baton.rest.requests} (tags method, uri, status). The uri tag is the
 * route's template ({@code /jobs/{id}}), never the raw path, so unknown paths cannot blow up the
 * number of time series.
 */
final class RequestMetrics {
  private static final Logger LOG = LoggerFactory.getLogger(RequestMetrics.class);

  private final MeterRegistry registry;
  private final Set<String> routes = ConcurrentHashMap.newKeySet();

  RequestMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Remembers a route template, so its requests are tagged with it. */
  String route(String template) {
    routes.add(template);
    return template;
  }

  void record(Context ctx, Float millis) {
    try {
      timer(ctx).record((long) (millis * 1000), TimeUnit.MICROSECONDS);
    } catch (RuntimeException e) {
      // counting must never break an answer
      LOG.warn("Could not record {} {} in the REST metrics", ctx.method(), ctx.path(), e);
    }
    LOG.debug("{} {} -> {} in {} ms", ctx.method(), ctx.path(), ctx.statusCode(), millis);
  }

  private Timer timer(Context ctx) {
    String uri = routes.contains(template(ctx)) ? template(ctx) : "other";
    return Timer.builder("baton.rest.requests")
        .description("Requests served by the REST API")
        .tag("method", ctx.method().name())
        .tag("uri", uri)
        .tag("status", Integer.toString(ctx.statusCode()))
        .register(registry);
  }

  private static String template(Context ctx) {
    try {
      return ctx.endpointHandlerPath();
    } catch (IllegalStateException noEndpointRan) {
      // answered by a before-handler or by no route at all
      return ctx.matchedPath();
    }
  }
}
