package io.baton.coordinator.rest;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Flink's dashboard features Baton does not have, answered as Flink answers them when they are
 * switched off, so the dashboard says "disabled" instead of failing: a vertex's flame graph
 * (Flink's {@code VertexFlameGraph.disabled()}, {@code endTimestamp} -2, as with {@code
 * rest.flamegraph.enabled: false}) and the profiler (404, as Flink without {@code
 * rest.profiling.enabled}, on which the dashboard shows its "disabled" notice).
 */
final class DisabledFeatures {
  private final JobViewHandlers views;

  DisabledFeatures(JobViewHandlers views) {
    this.views = views;
  }

  /** {@code GET /jobs/{id}/vertices/{vertexId}/flamegraph}, for a job that exists. */
  void flameGraph(Context ctx) {
    views.requireJob(ctx);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("endTimestamp", -2);
    body.put("data", null);
    ctx.json(body);
  }

  /** {@code /jobmanager/profiler} and {@code /taskmanagers/{id}/profiler}, read or started. */
  static void profiler(Context ctx) {
    throw RestException.notFound(
        "profiling is not available: Baton has no profiler (Flink's rest.profiling.enabled has no"
            + " effect here)");
  }
}
