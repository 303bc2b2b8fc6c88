package io.baton.coordinator.rest;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.LongSummaryStatistics;
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

  /** The aggregations Flink's {@code ?agg=} names. */
  private static final List<String> AGGREGATIONS = List.of("min", "max", "avg", "sum", "skew");

  /**
   * Flink's aggregated queries ({@code /jobs/{id}/vertices/{id}/subtasks/metrics}): without {@code
   * ?get=} the names as {@code [{"id"}]}; with it {@code [{"id", "min", "max", "avg", "sum",
   * "skew"}]} over the subtasks' values ({@code ?agg=min,max} keeps only those), unknown names and
   * aggregations left out.
   *
   * @param values each metric's value per subtask
   */
  static void aggregated(Context ctx, Map<String, List<Long>> values) {
    String get = ctx.queryParam("get");
    List<Map<String, Object>> out = new ArrayList<>();
    if (get == null || get.isBlank()) {
      values.keySet().forEach(id -> out.add(Map.of("id", id)));
      ctx.json(out);
      return;
    }
    String agg = ctx.queryParam("agg");
    List<String> wanted =
        agg == null || agg.isBlank()
            ? AGGREGATIONS
            : Arrays.stream(agg.split(","))
                .map(String::trim)
                .filter(AGGREGATIONS::contains)
                .toList();
    for (String id : get.split(",")) {
      List<Long> perSubtask = values.get(id.trim());
      if (perSubtask == null || perSubtask.isEmpty()) {
        continue;
      }
      LongSummaryStatistics stats =
          perSubtask.stream().mapToLong(Long::longValue).summaryStatistics();
      Map<String, Object> all = new LinkedHashMap<>();
      all.put("min", (double) stats.getMin());
      all.put("max", (double) stats.getMax());
      all.put("avg", stats.getAverage());
      all.put("sum", (double) stats.getSum());
      // Flink's skew: how far the largest value lies above the average, in percent
      all.put(
          "skew",
          stats.getAverage() == 0
              ? 0.0
              : (stats.getMax() - stats.getAverage()) * 100 / stats.getAverage());
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("id", id.trim());
      wanted.forEach(a -> entry.put(a, all.get(a)));
      out.add(entry);
    }
    ctx.json(out);
  }
}
