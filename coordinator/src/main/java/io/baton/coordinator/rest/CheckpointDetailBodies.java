package io.baton.coordinator.rest;

import io.baton.coordinator.checkpoint.CheckpointStats.Entry;
import io.baton.coordinator.checkpoint.CheckpointStats.Status;
import io.baton.coordinator.checkpoint.CheckpointStats.SubtaskStats;
import io.baton.coordinator.checkpoint.CheckpointStats.TaskStats;
import io.baton.coordinator.status.VertexDetails;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A checkpoint's part per vertex and per subtask in Flink 1.20's shapes: {@code
 * TaskCheckpointStatistics} for the {@code tasks} of {@code /checkpoints/details/{checkpointId}},
 * and {@code TaskCheckpointStatisticsWithSubtaskDetails} for its {@code /subtasks/{vertexId}}.
 * Baton measures each subtask's acknowledgement time and state size; what it does not measure (sync
 * and async phases, alignment, start delay, in-flight data) is 0, as in its other answers.
 */
final class CheckpointDetailBodies {
  private CheckpointDetailBodies() {}

  /**
   * The vertex's part of checkpoint {@code e}. A checkpoint that an earlier leader completed keeps
   * only the job's totals: its vertices show every subtask acknowledged, at times not known (-1). A
   * vertex whose subtasks had all finished before the trigger took no part: none of none.
   */
  static TaskStats taskOf(Entry e, VertexDetails vertex) {
    for (TaskStats t : e.tasks()) {
      if (t.vertexId() == vertex.id()) {
        return t;
      }
    }
    if (e.tasks().isEmpty() && e.status() == Status.COMPLETED) {
      return new TaskStats(
          vertex.id(),
          IntStream.range(0, vertex.parallelism())
              .mapToObj(i -> new SubtaskStats(i, true, -1, 0, -1))
              .toList());
    }
    return new TaskStats(vertex.id(), List.of());
  }

  /** Flink's {@code TaskCheckpointStatistics}. */
  static Map<String, Object> task(Entry e, TaskStats t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", e.id());
    m.put("status", e.status().name());
    m.put("latest_ack_timestamp", t.latestAckTimestamp());
    m.put("checkpointed_size", t.stateSize());
    m.put("state_size", t.stateSize());
    m.put("end_to_end_duration", t.endToEndDuration());
    m.put("alignment_buffered", 0L);
    m.put("processed_data", 0L);
    m.put("persisted_data", 0L);
    m.put("num_subtasks", t.numSubtasks());
    m.put("num_acknowledged_subtasks", t.numAcknowledgedSubtasks());
    return m;
  }

  /**
   * Flink's {@code TaskCheckpointStatisticsWithSubtaskDetails}: the vertex's figures, their summary
   * over the subtasks that acknowledged, and each subtask.
   */
  static Map<String, Object> taskWithSubtasks(Entry e, TaskStats t) {
    List<SubtaskStats> acked = t.subtasks().stream().filter(SubtaskStats::acknowledged).toList();
    List<Long> sizes = acked.stream().map(SubtaskStats::stateSize).toList();
    List<Long> zeros = acked.stream().map(s -> 0L).toList();
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("checkpointed_size", summary(sizes));
    summary.put("state_size", summary(sizes));
    summary.put(
        "end_to_end_duration",
        summary(acked.stream().map(SubtaskStats::endToEndDuration).toList()));
    summary.put("checkpoint_duration", Map.of("sync", summary(zeros), "async", summary(zeros)));
    Map<String, Object> alignment = new LinkedHashMap<>();
    for (String figure : List.of("buffered", "processed", "persisted", "duration")) {
      alignment.put(figure, summary(zeros));
    }
    summary.put("alignment", alignment);
    summary.put("start_delay", summary(zeros));
    List<Map<String, Object>> subtasks = new ArrayList<>();
    t.subtasks().forEach(s -> subtasks.add(subtask(s)));
    Map<String, Object> m = task(e, t);
    m.put("summary", summary);
    m.put("subtasks", subtasks);
    return m;
  }

  /**
   * Flink's {@code SubtaskCheckpointStatistics}: completed, or pending (or failed) with no figures.
   */
  private static Map<String, Object> subtask(SubtaskStats s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("index", s.index());
    if (!s.acknowledged()) {
      m.put("status", "pending_or_failed");
      return m;
    }
    m.put("status", "completed");
    m.put("ack_timestamp", s.ackTimestamp());
    m.put("end_to_end_duration", s.endToEndDuration());
    m.put("state_size", s.stateSize());
    m.put("checkpointed_size", s.stateSize());
    m.put("checkpoint", Map.of("sync", 0L, "async", 0L));
    Map<String, Object> alignment = new LinkedHashMap<>();
    alignment.put("buffered", 0L);
    alignment.put("processed", 0L);
    alignment.put("persisted", 0L);
    alignment.put("duration", 0L);
    m.put("alignment", alignment);
    m.put("start_delay", 0L);
    m.put("unaligned_checkpoint", false);
    m.put("aborted", false);
    return m;
  }

  /**
   * Flink's {@code StatsSummaryDto}: min, max, average and percentiles (nearest rank) of {@code
   * values} (as {@code /checkpoints} sums up the history, too); all 0 when there are none.
   */
  static Map<String, Object> summary(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("min", sorted.isEmpty() ? 0L : sorted.get(0));
    m.put("max", sorted.isEmpty() ? 0L : sorted.get(sorted.size() - 1));
    m.put("avg", Math.round(sorted.stream().mapToLong(Long::longValue).average().orElse(0)));
    m.put("p50", percentile(sorted, 0.5));
    m.put("p90", percentile(sorted, 0.9));
    m.put("p95", percentile(sorted, 0.95));
    m.put("p99", percentile(sorted, 0.99));
    m.put("p999", percentile(sorted, 0.999));
    return m;
  }

  private static double percentile(List<Long> sorted, double quantile) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int rank = (int) Math.ceil(quantile * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }
}
