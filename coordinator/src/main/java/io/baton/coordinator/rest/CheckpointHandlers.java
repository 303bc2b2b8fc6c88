package io.baton.coordinator.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baton.common.config.CheckpointingOptions.ExternalizedRetention;
import io.baton.common.config.ErrorLines;
import io.baton.common.ids.JobId;
import io.baton.coordinator.checkpoint.CheckpointSettings;
import io.baton.coordinator.checkpoint.CheckpointStats;
import io.baton.coordinator.checkpoint.CheckpointStats.Entry;
import io.baton.coordinator.dispatcher.DispatcherGateway;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /jobs/{id}/checkpoints} and {@code /jobs/{id}/savepoints}, shaped as Flink's: figures and
 * history of a job's checkpoints; savepoints as asynchronous operations with a trigger id.
 */
final class CheckpointHandlers {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointHandlers.class);

  private final DispatcherGateway dispatcher;
  private final DispatcherCalls calls;
  private final ObjectMapper json;
  private final TriggeredOperations<SavepointOperation> operations = new TriggeredOperations<>();
  private final TriggeredOperations<CheckpointOperation> checkpointOperations =
      new TriggeredOperations<>();

  private final StorageTargetField targets;

  CheckpointHandlers(
      DispatcherGateway dispatcher,
      DispatcherCalls calls,
      ObjectMapper json,
      StorageTargetField targets) {
    this.dispatcher = dispatcher;
    this.calls = calls;
    this.json = json;
    this.targets = targets;
  }

  void checkpoints(Context ctx) {
    JobId id = JobHandlers.jobId(ctx);
    CheckpointStats stats =
        calls
            .await(dispatcher.requestCheckpointStats(id), "GET /jobs/" + id + "/checkpoints")
            .orElseThrow(() -> RestException.notFound("job " + id + " not found"));
    ctx.json(body(stats));
  }

  /**
   * {@code GET /jobs/{id}/checkpoints/config}, Flink's {@code CheckpointConfigInfo}: the running
   * job's checkpoint settings. Baton has no minimum pause, no unaligned checkpoints and no
   * changelog; those fields say so. Like Flink, 404 for a job that does not checkpoint.
   */
  void checkpointConfig(Context ctx) {
    JobId id = JobHandlers.jobId(ctx);
    CheckpointSettings settings =
        calls
            .await(
                dispatcher.requestCheckpointSettings(id), "GET /jobs/" + id + "/checkpoints/config")
            .orElseThrow(() -> RestException.notFound("job " + id + " is not running"));
    if (!settings.periodic()) {
      throw RestException.notFound(
          "checkpointing is not enabled for job "
              + id
              + " (set execution.checkpointing.interval to turn it on)");
    }
    ctx.json(configBody(settings));
  }

  static Map<String, Object> configBody(CheckpointSettings settings) {
    Map<String, Object> externalization = new LinkedHashMap<>();
    externalization.put("enabled", true);
    externalization.put(
        "delete_on_cancellation",
        settings.retention() == ExternalizedRetention.DELETE_ON_CANCELLATION);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("mode", "exactly_once");
    body.put("interval", settings.interval().orElseThrow().toMillis());
    body.put("timeout", settings.timeout().toMillis());
    body.put("min_pause", 0);
    body.put("max_concurrent", settings.maxConcurrent());
    body.put("externalization", externalization);
    body.put("state_backend", "baton");
    body.put(
        "checkpoint_storage",
        settings.checkpointsDirectory().map(Object::toString).orElse("jobmanager"));
    body.put("unaligned_checkpoints", false);
    body.put("tolerable_failed_checkpoints", settings.tolerableFailures());
    body.put("aligned_checkpoint_timeout", 0);
    body.put("checkpoints_after_tasks_finish", false);
    body.put("state_changelog_enabled", false);
    body.put("num_retained", settings.numRetained());
    return body;
  }

  static Map<String, Object> body(CheckpointStats stats) {
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("restored", stats.counts().restored());
    counts.put("total", stats.counts().total());
    counts.put("in_progress", stats.counts().inProgress());
    counts.put("completed", stats.counts().completed());
    counts.put("failed", stats.counts().failed());

    List<Entry> completed =
        stats.history().stream()
            .filter(
                e -> e.status() == CheckpointStats.Status.COMPLETED && e.skippedOnRestore() == null)
            .toList();
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("state_size", minMaxAvg(completed, Entry::stateSize));
    summary.put("end_to_end_duration", minMaxAvg(completed, Entry::endToEndDuration));

    Map<String, Object> latest = new LinkedHashMap<>();
    latest.put("completed", entry(stats.latestCompleted()));
    latest.put("savepoint", entry(stats.latestSavepoint()));
    latest.put("failed", entry(stats.latestFailed()));
    CheckpointStats.Restored r = stats.latestRestored();
    Map<String, Object> restored = null;
    if (r != null) {
      restored = new LinkedHashMap<>();
      restored.put("id", r.id());
      restored.put("restore_timestamp", r.restoreTimestamp());
      restored.put("is_savepoint", r.savepoint());
      restored.put("external_path", r.externalPath());
    }
    latest.put("restored", restored);

    List<Object> history = new ArrayList<>();
    stats.history().forEach(e -> history.add(entry(e)));

    Map<String, Object> body = new LinkedHashMap<>();
    body.put("counts", counts);
    body.put("summary", summary);
    body.put("latest", latest);
    body.put("history", history);
    return body;
  }

  private static Map<String, Object> minMaxAvg(List<Entry> entries, ToLongFunction<Entry> value) {
    return CheckpointDetailBodies.summary(entries.stream().map(value::applyAsLong).toList());
  }

  private static Map<String, Object> entry(Entry e) {
    if (e == null) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", e.id());
    m.put("status", e.status().name());
    m.put("is_savepoint", e.savepoint());
    m.put("trigger_timestamp", e.triggerTimestamp());
    m.put("latest_ack_timestamp", e.latestAckTimestamp());
    m.put("state_size", e.stateSize());
    m.put("end_to_end_duration", e.endToEndDuration());
    m.put("external_path", e.externalPath());
    m.put("num_subtasks", e.numSubtasks());
    m.put("num_acknowledged_subtasks", e.numAcknowledgedSubtasks());
    if (e.status() == CheckpointStats.Status.FAILED) {
      // a storage or TaskManager error may span lines; the history shows one
      m.put("failure_message", ErrorLines.oneLine(e.failureMessage()));
    }
    m.put("skipped_on_restore", e.skippedOnRestore());
    return m;
  }

  /** {@code POST /jobs/{id}/savepoints} with {@code {"target-directory", "cancel-job"}}. */
  void triggerSavepoint(Context ctx) {
    JobId id = JobHandlers.jobId(ctx);
    JsonNode body = RequestBodies.jsonObject(ctx, json);
    Optional<String> target = targetDirectory(body, "target-directory");
    boolean cancelJob = booleanField(body, "cancel-job");
    trigger(ctx, id, body, target, cancelJob, "Savepoint");
  }

  /**
   * Flink's {@code POST /jobs/{id}/stop} with {@code {"targetDirectory", "drain", "formatType",
   * "triggerId"}}: a savepoint, then the job is cancelled (it ends CANCELED). Its status is asked
   * under {@code /jobs/{id}/savepoints/{triggerId}}, as Flink's.
   */
  void stop(Context ctx) {
    JobId id = JobHandlers.jobId(ctx);
    JsonNode body = RequestBodies.jsonObject(ctx, json);
    Optional<String> target = targetDirectory(body, "targetDirectory");
    if (booleanField(body, "drain")) {
      throw RestException.badRequest(
          "drain is not supported: Baton's sources have no end-of-time watermark to emit; stop"
              + " without --drain");
    }
    checkFormatType(body);
    trigger(ctx, id, body, target, true, "Stop-with-savepoint");
  }

  private void trigger(
      Context ctx,
      JobId id,
      JsonNode body,
      Optional<String> target,
      boolean cancelJob,
      String what) {
    String triggerId = TriggeredOperations.triggerId(body);
    calls
        .await(dispatcher.requestJob(id), ctx.method() + " " + ctx.path())
        .orElseThrow(() -> RestException.notFound("job " + id + " not found"));
    if (operations.get(triggerId).isEmpty()) {
      CompletableFuture<String> savepoint = dispatcher.triggerSavepoint(id, target, cancelJob);
      operations.putIfAbsent(triggerId, new SavepointOperation(id, savepoint));
      LOG.info(
          "{} {} of job {} requested through REST (target {}, cancel-job {})",
          what,
          triggerId,
          id,
          target.orElse("state.savepoints.dir"),
          cancelJob);
    }
    TriggeredOperations.accepted(ctx, triggerId);
  }

  private Optional<String> targetDirectory(JsonNode body, String field) {
    JsonNode dir = body.get(field);
    if (dir == null || dir.isNull()) {
      return Optional.empty();
    }
    if (!dir.isTextual() || dir.asText().isBlank()) {
      throw RestException.badRequest(field + " must be a non-empty string, got " + dir);
    }
    return Optional.of(targets.check(field, dir.asText()).toString());
  }

  /**
   * Flink's {@code POST /jobs/{id}/checkpoints} (1.19+) with {@code {"checkpointType",
   * "triggerId"}}: one checkpoint now, besides the periodic ones; 202 with the trigger id, the
   * outcome under {@code /jobs/{id}/checkpoints/{triggerId}}. Baton's checkpoints are full ones:
   * {@code CONFIGURED} and {@code FULL} are taken, {@code INCREMENTAL} is refused.
   */
  void triggerCheckpoint(Context ctx) {
    JobId id = JobHandlers.jobId(ctx);
    JsonNode body = RequestBodies.jsonObject(ctx, json);
    JsonNode type = body.get("checkpointType");
    if (type != null && !type.isNull()) {
      String name = type.isTextual() ? type.asText() : type.toString();
      if (!name.equals("CONFIGURED") && !name.equals("FULL")) {
        throw RestException.badRequest(
            "checkpointType "
                + name
                + " is not supported: Baton takes full checkpoints (CONFIGURED or FULL)");
      }
    }
    String triggerId = TriggeredOperations.triggerId(body);
    calls
        .await(dispatcher.requestJob(id), ctx.method() + " " + ctx.path())
        .orElseThrow(() -> RestException.notFound("job " + id + " not found"));
    if (checkpointOperations.get(triggerId).isEmpty()) {
      checkpointOperations.putIfAbsent(
          triggerId, new CheckpointOperation(id, dispatcher.triggerCheckpoint(id)));
      LOG.info("Checkpoint {} of job {} requested through REST", triggerId, id);
    }
    TriggeredOperations.accepted(ctx, triggerId);
  }

  /** {@code GET /jobs/{id}/checkpoints/{triggerId}}: Flink's {@code CheckpointInfo} once done. */
  void checkpointStatus(Context ctx) {
    JobId id = JobHandlers.jobId(ctx);
    String triggerId = ctx.pathParam("triggerId");
    CheckpointOperation operation = operationOf(checkpointOperations, triggerId, id, "checkpoint");
    TriggeredOperations.status(
        ctx,
        operation.checkpoint(),
        checkpointId -> Map.of("checkpointId", checkpointId),
        cause -> LOG.info("Checkpoint {} of job {} failed", triggerId, id, cause));
  }

  /** A field that is true, false, or absent (false). */
  private static boolean booleanField(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value != null && !value.isNull() && !value.isBoolean()) {
      throw RestException.badRequest(field + " must be true or false, got " + value);
    }
    return value != null && value.asBoolean(false);
  }

  /** Baton writes one savepoint format; both of Flink's names are taken for it. */
  private static void checkFormatType(JsonNode body) {
    JsonNode format = body.get("formatType");
    if (format != null
        && !format.isNull()
        && !(format.isTextual()
            && (format.asText().equals("CANONICAL") || format.asText().equals("NATIVE")))) {
      throw RestException.badRequest("formatType must be CANONICAL or NATIVE, got " + format);
    }
  }

  /** {@code GET /jobs/{id}/savepoints/{triggerId}}. */
  void savepointStatus(Context ctx) {
    JobId id = JobHandlers.jobId(ctx);
    String triggerId = ctx.pathParam("triggerId");
    SavepointOperation operation = operationOf(operations, triggerId, id, "savepoint");
    TriggeredOperations.status(
        ctx,
        operation.savepoint(),
        location -> Map.of("location", location),
        cause -> LOG.info("Savepoint {} of job {} failed", triggerId, id, cause));
  }

  /** The operation {@code triggerId} of job {@code id}; 404 naming both when there is none. */
  private static <T extends JobOperation> T operationOf(
      TriggeredOperations<T> operations, String triggerId, JobId id, String kind) {
    return operations
        .get(triggerId)
        .filter(o -> o.jobId().equals(id))
        .orElseThrow(
            () ->
                RestException.notFound(
                    "no " + kind + " operation " + triggerId + " for job " + id));
  }

  private interface JobOperation {
    JobId jobId();
  }

  private record SavepointOperation(JobId jobId, CompletableFuture<String> savepoint)
      implements JobOperation {}

  private record CheckpointOperation(JobId jobId, CompletableFuture<Long> checkpoint)
      implements JobOperation {}
}
