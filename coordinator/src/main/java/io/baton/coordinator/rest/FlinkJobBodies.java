package io.baton.coordinator.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.baton.api.graph.JobGraph;
import io.baton.common.execution.ExecutionState;
import io.baton.coordinator.status.JobDetails;
import io.baton.coordinator.status.JobStatus;
import io.baton.coordinator.status.SubtaskDetails;
import io.baton.coordinator.status.VertexDetails;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parts of a job in the shapes of Flink 1.20's REST API that its web dashboard draws from: a
 * vertex ({@code JobVertexDetailsInfo}), the plan ({@code JobPlanInfo}), the time of each job
 * status, and the exception history ({@code JobExceptionsInfoWithHistory}).
 */
final class FlinkJobBodies {
  private FlinkJobBodies() {}

  /** Flink's job statuses, each with the epoch millis it was reached in {@code timestamps}. */
  private static final List<String> FLINK_JOB_STATUSES =
      List.of(
          "INITIALIZING",
          "CREATED",
          "RUNNING",
          "FAILING",
          "FAILED",
          "CANCELLING",
          "CANCELED",
          "FINISHED",
          "RESTARTING",
          "SUSPENDED",
          "RECONCILING");

  static final Set<ExecutionState> TERMINAL =
      Set.of(ExecutionState.FINISHED, ExecutionState.CANCELED, ExecutionState.FAILED);

  /**
   * One vertex, as Flink's; {@code baton-index} is Baton's own vertex number (routes take either).
   */
  record Vertex(
      String id,
      @JsonProperty("baton-index") int index,
      String slotSharingGroupId,
      String name,
      int maxParallelism,
      int parallelism,
      String status,
      @JsonProperty("start-time") long startTime,
      @JsonProperty("end-time") long endTime,
      long duration,
      Map<String, Integer> tasks,
      Map<String, Object> metrics) {

    static Vertex of(VertexDetails v, long now) {
      long end = endTime(v);
      return new Vertex(
          VertexIds.hex(v.id()),
          v.id(),
          // Baton places every vertex of a job into the job's slots alike
          VertexIds.hex(0),
          v.name(),
          v.maxParallelism(),
          v.parallelism(),
          v.status() == null ? "CREATED" : v.status().name(),
          v.startTime(),
          end,
          v.startTime() < 0 ? -1 : (end >= 0 ? end : now) - v.startTime(),
          ResponseBodies.countsByState(v.taskCounts()),
          ioMetrics(v.recordsIn(), v.recordsOut(), v.bytesIn(), v.bytesOut(), true));
    }

    /** When the last subtask ended, once all have; -1 before. */
    private static long endTime(VertexDetails v) {
      long end = -1;
      for (SubtaskDetails s : v.subtasks()) {
        if (!TERMINAL.contains(s.status())) {
          return -1;
        }
        end = Math.max(end, s.timestamps().getOrDefault(s.status(), -1L));
      }
      return v.subtasks().isEmpty() ? -1 : end;
    }
  }

  /**
   * Flink's {@code IOMetricsInfo}. Baton has no busy, idle or back-pressured time per task: those
   * are 0.
   */
  static Map<String, Object> ioMetrics(
      long recordsIn, long recordsOut, long bytesIn, long bytesOut, boolean complete) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("read-bytes", bytesIn);
    m.put("read-bytes-complete", complete);
    m.put("write-bytes", bytesOut);
    m.put("write-bytes-complete", complete);
    m.put("read-records", recordsIn);
    m.put("read-records-complete", complete);
    m.put("write-records", recordsOut);
    m.put("write-records-complete", complete);
    m.put("accumulated-backpressured-time", 0L);
    m.put("accumulated-idle-time", 0L);
    m.put("accumulated-busy-time", 0.0);
    return m;
  }

  /**
   * Flink's {@code timestamps}: when the job reached each status, 0 where it did not (Baton keeps
   * when the job started and ended).
   */
  static Map<String, Long> timestamps(JobDetails job) {
    Map<String, Long> out = new LinkedHashMap<>();
    FLINK_JOB_STATUSES.forEach(s -> out.put(s, 0L));
    if (job.startTime() > 0) {
      out.put("INITIALIZING", job.startTime());
      out.put("CREATED", job.startTime());
      out.put("RUNNING", job.startTime());
    }
    if (job.status().isGloballyTerminal() && job.endTime() > 0) {
      out.put(job.status().name(), job.endTime());
    } else if (job.status() != JobStatus.RUNNING && out.containsKey(job.status().name())) {
      out.put(job.status().name(), job.lastModification());
    }
    return out;
  }

  /** Flink's {@code JobPlanInfo}'s plan of a running or ended job. */
  static Map<String, Object> plan(JobDetails job) {
    return plan(
        job.id().value(),
        job.name(),
        job.vertices().stream()
            .map(v -> new PlanNode(v.id(), v.name(), v.parallelism(), v.inputs()))
            .toList());
  }

  /** The plan of a job graph not submitted yet ({@code /jars/{id}/plan}): no job id yet. */
  static Map<String, Object> plan(JobGraph graph) {
    return plan(
        "00000000000000000000000000000000",
        graph.name(),
        graph.vertices().stream()
            .map(
                v ->
                    new PlanNode(
                        v.id(),
                        v.name(),
                        v.parallelism(),
                        graph.inputsOf(v.id()).stream()
                            .map(
                                e ->
                                    new VertexDetails.Input(
                                        e.sourceVertexId(), e.partitioning().name()))
                            .toList()))
            .toList());
  }

  private record PlanNode(int id, String name, int parallelism, List<VertexDetails.Input> inputs) {}

  /** One node per vertex, its inputs by vertex id. */
  private static Map<String, Object> plan(String jid, String name, List<PlanNode> vertices) {
    List<Map<String, Object>> nodes = new ArrayList<>();
    for (PlanNode v : vertices) {
      Map<String, Object> node = new LinkedHashMap<>();
      node.put("id", VertexIds.hex(v.id()));
      node.put("parallelism", v.parallelism());
      node.put("operator", "");
      node.put("operator_strategy", "");
      node.put("description", v.name());
      if (!v.inputs().isEmpty()) {
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (int i = 0; i < v.inputs().size(); i++) {
          VertexDetails.Input in = v.inputs().get(i);
          Map<String, Object> input = new LinkedHashMap<>();
          input.put("num", i);
          input.put("id", VertexIds.hex(in.sourceVertexId()));
          input.put("ship_strategy", in.partitioning());
          input.put("exchange", "pipelined_bounded");
          inputs.add(input);
        }
        node.put("inputs", inputs);
      }
      node.put("optimizer_properties", Map.of());
      nodes.add(node);
    }
    Map<String, Object> plan = new LinkedHashMap<>();
    plan.put("jid", jid);
    plan.put("name", name);
    plan.put("type", "STREAMING");
    plan.put("nodes", nodes);
    return plan;
  }
}
