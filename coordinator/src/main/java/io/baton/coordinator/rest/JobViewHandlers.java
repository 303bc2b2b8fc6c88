package io.baton.coordinator.rest;

import io.baton.common.execution.ExecutionState;
import io.baton.common.ids.JobId;
import io.baton.coordinator.checkpoint.CheckpointStats;
import io.baton.coordinator.dispatcher.DispatcherGateway;
import io.baton.coordinator.failover.FailureCauses;
import io.baton.coordinator.status.JobDetails;
import io.baton.coordinator.status.SubtaskDetails;
import io.baton.coordinator.status.VertexDetails;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A job's views in Flink 1.20's shapes that its dashboard reads: {@code /jobs/{id}/plan}, {@code
 * /exceptions}, {@code /config}, {@code /accumulators}, {@code /vertices/{vertexId}} with its
 * {@code /metrics}, {@code /backpressure}, {@code /watermarks} and {@code /accumulators}, and
 * {@code /checkpoints/details/{checkpointId}} with its {@code /subtasks/{vertexId}}. Where Baton
 * measures nothing (back pressure, watermarks, accumulators) the answer says so in Flink's shape
 * rather than making figures up.
 */
final class JobViewHandlers {
  private static final Set<ExecutionState> TERMINAL = FlinkJobBodies.TERMINAL;

  private final DispatcherGateway dispatcher;
  private final DispatcherCalls calls;
  private final Clock clock;

  JobViewHandlers(DispatcherGateway dispatcher, DispatcherCalls calls, Clock clock) {
    this.dispatcher = dispatcher;
    this.calls = calls;
    this.clock = clock;
  }

  void plan(Context ctx) {
    ctx.json(Map.of("plan", FlinkJobBodies.plan(job(ctx))));
  }

  /** Flink's {@code JobExceptionsInfoWithHistory}: Baton keeps the latest failure. */
  void exceptions(Context ctx) {
    String max = ctx.queryParam("maxExceptions");
    if (max != null && !max.matches("[0-9]{1,9}")) {
      throw RestException.badRequest(
          "maxExceptions must be a non-negative number, got '" + max + "'");
    }
    JobDetails job = job(ctx);
    String cause = FailureCauses.oneLine(job.failureCause());
    List<Map<String, Object>> entries = new ArrayList<>();
    long at = job.endTime() > 0 ? job.endTime() : job.lastModification();
    if (cause != null && !(max != null && Integer.parseInt(max) == 0)) {
      Map<String, Object> entry = new LinkedHashMap<>();
      int colon = cause.indexOf(':');
      entry.put("exceptionName", colon > 0 ? cause.substring(0, colon) : cause);
      entry.put("stacktrace", cause);
      entry.put("timestamp", at);
      entry.put("taskName", null);
      entry.put("location", null);
      entry.put("endpoint", null);
      entry.put("taskManagerId", null);
      entry.put("failureLabels", Map.of());
      entry.put("concurrentExceptions", List.of());
      entries.add(entry);
    }
    Map<String, Object> history = new LinkedHashMap<>();
    history.put("entries", entries);
    history.put("truncated", false);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("root-exception", cause);
    body.put("timestamp", cause == null ? null : at);
    body.put("all-exceptions", List.of());
    body.put("truncated", false);
    body.put("exceptionHistory", history);
    ctx.json(body);
  }

  /** Flink's {@code JobConfigInfo}. */
  void config(Context ctx) {
    JobDetails job = job(ctx);
    Map<String, Object> execution = new LinkedHashMap<>();
    execution.put("execution-mode", "PIPELINED");
    execution.put("restart-strategy", "Cluster level default restart strategy");
    execution.put(
        "job-parallelism",
        job.vertices().stream().mapToInt(VertexDetails::parallelism).max().orElse(1));
    execution.put("object-reuse-mode", false);
    execution.put("user-config", Map.of());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("jid", job.id().value());
    body.put("name", job.name());
    body.put("execution-config", execution);
    ctx.json(body);
  }

  void jobAccumulators(Context ctx) {
    job(ctx);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("job-accumulators", List.of());
    body.put("user-task-accumulators", List.of());
    body.put("serialized-user-task-accumulators", Map.of());
    ctx.json(body);
  }

  /** Flink's {@code JobVertexDetailsInfo}: the vertex with one entry per subtask. */
  void vertex(Context ctx) {
    VertexDetails v = vertexOf(ctx, job(ctx));
    long now = clock.millis();
    List<Map<String, Object>> subtasks = new ArrayList<>();
    for (SubtaskDetails s : v.subtasks()) {
      subtasks.add(subtask(s, now));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", VertexIds.hex(v.id()));
    body.put("name", v.name());
    body.put("parallelism", v.parallelism());
    body.put("maxParallelism", v.maxParallelism());
    body.put("now", now);
    body.put("subtasks", subtasks);
    ctx.json(body);
  }

  private static Map<String, Object> subtask(SubtaskDetails s, long now) {
    ResponseBodies.SubtaskTime times = ResponseBodies.SubtaskTime.of(s, now);
    long start = s.timestamps().getOrDefault(ExecutionState.DEPLOYING, -1L);
    long end =
        s.timestamps().entrySet().stream()
            .filter(e -> TERMINAL.contains(e.getKey()))
            .mapToLong(Map.Entry::getValue)
            .max()
            .orElse(-1);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("subtask", s.subtask());
    m.put("status", times.status());
    m.put("attempt", s.attempt());
    m.put("endpoint", s.host());
    m.put("host", s.host());
    m.put("start-time", start);
    m.put("end-time", end);
    m.put("duration", times.duration());
    m.put("metrics", FlinkJobBodies.ioMetrics(s.recordsIn(), s.recordsOut(), 0, 0, true));
    m.put("taskmanager-id", s.taskManagerId());
    m.put("other-concurrent-attempts", List.of());
    return m;
  }

  /** Per-subtask record counts, under Flink's metric names ({@code <subtask>.numRecordsIn}). */
  void vertexMetrics(Context ctx) {
    VertexDetails v = vertexOf(ctx, job(ctx));
    Map<String, Long> values = new LinkedHashMap<>();
    for (SubtaskDetails s : v.subtasks()) {
      values.put(s.subtask() + ".numRecordsIn", s.recordsIn());
      values.put(s.subtask() + ".numRecordsOut", s.recordsOut());
    }
    MetricQuery.answer(ctx, values);
  }

  /**
   * Flink's aggregated subtask metrics of a vertex: records in and out, over its subtasks (the
   * dashboard's job graph asks for them).
   */
  void subtaskMetrics(Context ctx) {
    VertexDetails v = vertexOf(ctx, job(ctx));
    Map<String, List<Long>> values = new LinkedHashMap<>();
    values.put("numRecordsIn", v.subtasks().stream().map(SubtaskDetails::recordsIn).toList());
    values.put("numRecordsOut", v.subtasks().stream().map(SubtaskDetails::recordsOut).toList());
    MetricQuery.aggregated(ctx, values);
  }

  /**
   * Flink's {@code JobVertexBackPressureInfo} with status {@code deprecated}, Flink's own answer
   * when back pressure is not measured: Baton's flow control slows producers down by credits, but
   * no task samples how long it waits for them.
   */
  void backPressure(Context ctx) {
    vertexOf(ctx, job(ctx));
    ctx.json(Map.of("status", "deprecated"));
  }

  /** Baton's jobs carry no event-time watermarks: none to show. */
  void watermarks(Context ctx) {
    vertexOf(ctx, job(ctx));
    ctx.json(List.of());
  }

  /**
   * Flink's {@code JobVertexTaskManagersInfo}: the vertex's subtasks grouped by the TaskManager
   * they run on, with their states counted and their records summed.
   */
  void vertexTaskManagers(Context ctx) {
    VertexDetails v = vertexOf(ctx, job(ctx));
    long now = clock.millis();
    Map<String, List<SubtaskDetails>> byTaskManager = new LinkedHashMap<>();
    for (SubtaskDetails s : v.subtasks()) {
      if (s.taskManagerId() != null) {
        byTaskManager.computeIfAbsent(s.taskManagerId(), id -> new ArrayList<>()).add(s);
      }
    }
    List<Map<String, Object>> taskManagers = new ArrayList<>();
    byTaskManager.forEach(
        (id, subtasks) -> {
          Map<String, Integer> counts = new LinkedHashMap<>();
          for (ExecutionState state : ExecutionState.values()) {
            counts.put(state.name(), 0);
          }
          subtasks.forEach(s -> counts.merge(s.status().name(), 1, Integer::sum));
          List<Map<String, Object>> rows = subtasks.stream().map(s -> subtask(s, now)).toList();
          long start = rows.stream().mapToLong(r -> (long) r.get("start-time")).min().orElse(-1);
          long end = rows.stream().mapToLong(r -> (long) r.get("end-time")).max().orElse(-1);
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("endpoint", subtasks.get(0).host());
          m.put("taskmanager-id", id);
          m.put("status", aggregateState(subtasks).name());
          m.put("start-time", start);
          m.put("end-time", end);
          m.put("duration", start < 0 ? -1 : (end < 0 ? now : end) - start);
          m.put(
              "metrics",
              FlinkJobBodies.ioMetrics(
                  subtasks.stream().mapToLong(SubtaskDetails::recordsIn).sum(),
                  subtasks.stream().mapToLong(SubtaskDetails::recordsOut).sum(),
                  0,
                  0,
                  true));
          m.put("status-counts", counts);
          taskManagers.add(m);
        });
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", VertexIds.hex(v.id()));
    body.put("name", v.name());
    body.put("now", now);
    body.put("taskmanagers", taskManagers);
    ctx.json(body);
  }

  /** As Flink aggregates a vertex's state: a failure first, then cancelling, then progress. */
  private static ExecutionState aggregateState(List<SubtaskDetails> subtasks) {
    Set<ExecutionState> states = EnumSet.noneOf(ExecutionState.class);
    subtasks.forEach(s -> states.add(s.status()));
    for (ExecutionState first :
        List.of(ExecutionState.FAILED, ExecutionState.CANCELING, ExecutionState.CANCELED)) {
      if (states.contains(first)) {
        return first;
      }
    }
    if (states.equals(EnumSet.of(ExecutionState.FINISHED))) {
      return ExecutionState.FINISHED;
    }
    for (ExecutionState next :
        List.of(
            ExecutionState.RUNNING,
            ExecutionState.DEPLOYING,
            ExecutionState.SCHEDULED,
            ExecutionState.CREATED)) {
      if (states.contains(next)) {
        return next;
      }
    }
    return ExecutionState.FINISHED;
  }

  /**
   * Flink's {@code SubtasksAllAccumulatorsInfo}: Baton's jobs keep no user accumulators, so each
   * subtask lists none.
   */
  void subtaskAccumulators(Context ctx) {
    VertexDetails v = vertexOf(ctx, job(ctx));
    List<Map<String, Object>> subtasks = new ArrayList<>();
    for (SubtaskDetails s : v.subtasks()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("subtask", s.subtask());
      m.put("attempt", s.attempt());
      m.put("endpoint", s.host());
      m.put("taskmanager-id", s.taskManagerId());
      m.put("user-accumulators", List.of());
      subtasks.add(m);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", VertexIds.hex(v.id()));
    body.put("parallelism", v.parallelism());
    body.put("subtasks", subtasks);
    ctx.json(body);
  }

  /**
   * Flink's {@code JobResourceRequirementsBody}: each vertex by its hex id with its parallelism as
   * both bounds, as Baton runs a vertex at the parallelism it was submitted with.
   */
  void resourceRequirements(Context ctx) {
    Map<String, Object> body = new LinkedHashMap<>();
    for (VertexDetails v : job(ctx).vertices()) {
      body.put(
          VertexIds.hex(v.id()),
          Map.of(
              "parallelism", Map.of("lowerBound", v.parallelism(), "upperBound", v.parallelism())));
    }
    ctx.json(body);
  }

  /** Checks the job exists, for the job's views of its JobManager (which is this one). */
  void requireJob(Context ctx) {
    job(ctx);
  }

  void vertexAccumulators(Context ctx) {
    VertexDetails v = vertexOf(ctx, job(ctx));
    ctx.json(Map.of("id", VertexIds.hex(v.id()), "user-accumulators", List.of()));
  }

  /**
   * Flink's {@code CheckpointStatistics} of one checkpoint in the job's history, with its part per
   * vertex under {@code tasks}, by the vertex's hex id.
   */
  void checkpointDetails(Context ctx) {
    CheckpointStats.Entry e = checkpoint(ctx);
    JobDetails job = job(ctx);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("className", e.status().name().toLowerCase(java.util.Locale.ROOT));
    m.put("id", e.id());
    m.put("status", e.status().name());
    m.put("is_savepoint", e.savepoint());
    m.put("checkpoint_type", e.savepoint() ? "SAVEPOINT" : "CHECKPOINT");
    m.put("trigger_timestamp", e.triggerTimestamp());
    m.put("latest_ack_timestamp", e.latestAckTimestamp());
    m.put("state_size", e.stateSize());
    m.put("checkpointed_size", e.stateSize());
    m.put("end_to_end_duration", e.endToEndDuration());
    m.put("alignment_buffered", 0L);
    m.put("processed_data", 0L);
    m.put("persisted_data", 0L);
    m.put("num_subtasks", e.numSubtasks());
    m.put("num_acknowledged_subtasks", e.numAcknowledgedSubtasks());
    m.put("external_path", e.externalPath());
    m.put("discarded", false);
    if (e.status() == CheckpointStats.Status.FAILED) {
      m.put("failure_timestamp", e.latestAckTimestamp());
      m.put("failure_message", io.baton.common.config.ErrorLines.oneLine(e.failureMessage()));
    }
    Map<String, Object> tasks = new LinkedHashMap<>();
    for (VertexDetails v : job.vertices()) {
      tasks.put(
          VertexIds.hex(v.id()),
          CheckpointDetailBodies.task(e, CheckpointDetailBodies.taskOf(e, v)));
    }
    m.put("tasks", tasks);
    ctx.json(m);
  }

  /**
   * {@code /checkpoints/details/{checkpointId}/subtasks/{vertexId}}: Flink's {@code
   * TaskCheckpointStatisticsWithSubtaskDetails}, the vertex's part of the checkpoint per subtask.
   */
  void checkpointSubtasks(Context ctx) {
    checkpointId(ctx);
    VertexDetails v = vertexOf(ctx, job(ctx));
    CheckpointStats.Entry e = checkpoint(ctx);
    ctx.json(CheckpointDetailBodies.taskWithSubtasks(e, CheckpointDetailBodies.taskOf(e, v)));
  }

  /** The checkpoint the path names, from the job's history. */
  private CheckpointStats.Entry checkpoint(Context ctx) {
    JobId id = JobHandlers.jobId(ctx);
    long checkpointId = checkpointId(ctx);
    CheckpointStats stats =
        calls
            .await(dispatcher.requestCheckpointStats(id), what(ctx))
            .orElseThrow(() -> RestException.notFound("job " + id + " not found"));
    return stats.history().stream()
        .filter(c -> c.id() == checkpointId)
        .findFirst()
        .orElseThrow(
            () ->
                RestException.notFound(
                    "checkpoint "
                        + checkpointId
                        + " of job "
                        + id
                        + " is not in its history (the newest are kept)"));
  }

  private static long checkpointId(Context ctx) {
    String text = ctx.pathParam("checkpointId");
    if (!text.matches("[0-9]{1,18}")) {
      throw RestException.badRequest(
          "invalid checkpoint id '" + text + "': expected a non-negative number");
    }
    return Long.parseLong(text);
  }

  private JobDetails job(Context ctx) {
    JobId id = JobHandlers.jobId(ctx);
    return calls
        .await(dispatcher.requestJob(id), what(ctx))
        .orElseThrow(() -> RestException.notFound("job " + id + " not found"));
  }

  private static VertexDetails vertexOf(Context ctx, JobDetails job) {
    String param = ctx.pathParam("vertexId");
    OptionalInt number = VertexIds.parse(param);
    if (number.isEmpty()) {
      throw RestException.badRequest(
          "invalid vertex id '" + param + "': expected 32 hexadecimal digits");
    }
    return job.vertices().stream()
        .filter(v -> v.id() == number.getAsInt())
        .findFirst()
        .orElseThrow(() -> RestException.notFound("job " + job.id() + " has no vertex " + param));
  }

  private static String what(Context ctx) {
    return ctx.method() + " " + ctx.path();
  }
}
