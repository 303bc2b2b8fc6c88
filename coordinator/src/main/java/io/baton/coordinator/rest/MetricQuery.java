package io.baton.coordinator.rest;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Flink's metric queries ({@code /jobmanager/metrics}, {@code /taskmanagers/{id}/metrics}, {@code
 * /jobs/{id}/vertices/{id}/metrics}): without {@code ?get=} the names as {@code [{"id"}]}, with
 * {@code ?get=a,b} the values of those known as {@code [{"id", "value"}]}, unknown names left out.
 */
final class MetricQuery {
  private MetricQuery() {}

  static void answer(Context ctx, Map<String, ?> values) {
    String get = ctx.queryParam("get");
    List<Map<String, Object>> out = new ArrayList<>();
    if (get == null || get.isBlank()) {
      values.keySet().forEach(id -> out.add(Map.of("id", id)));
    } else {
      for (String id : get.split(",")) {
        Object value = values.get(id.trim());
        if (value != null) {
          out.add(Map.of("id", id.trim(), "value", String.valueOf(value)));
        }
      }
    }
    ctx.json(out);
  }
}
