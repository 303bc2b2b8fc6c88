package io.baton.coordinator.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baton.common.config.ErrorLines;
import io.baton.common.ids.JobId;
import io.baton.coordinator.checkpoint.CheckpointStats;
import io.baton.coordinator.checkpoint.CheckpointStats.Entry;
import io.baton.coordinator.dispatcher.DispatcherGateway;
import io.baton.coordinator.failover.FailureCauses;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /jobs/{id}/checkpoints} and {@code /jobs/{id}/savepoints}, shaped as Flink's: figures and
 * history of a job's checkpoints; savepoints as asynchronous operations with a trigger id.
 */
final class CheckpointHandlers {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointHandlers.class);
  // savepoint operations remembered for status queries; the oldest are forgotten first
  private static final int MAX_OPERATIONS = 256;

  private final DispatcherGateway dispatcher;
  private final DispatcherCalls calls;
  private final ObjectMapper json;
  private final Map<String, SavepointOperation> operations =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SavepointOperation> eldest) {
          return size() > MAX_OPERATIONS;
        }
      };

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
    LongSummaryStatistics s = entries.stream().mapToLong(value).summaryStatistics();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("min", entries.isEmpty() ? 0 : s.getMin());
    m.put("max", entries.isEmpty() ? 0 : s.getMax());
    m.put("avg", entries.isEmpty() ? 0 : Math.round(s.getAverage()));
    return m;
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
    Optional<String> target = Optional.empty();
    JsonNode dir = body.get("target-directory");
    if (dir != null && !dir.isNull()) {
      if (!dir.isTextual() || dir.asText().isBlank()) {
        throw RestException.badRequest("target-directory must be a non-empty string, got " + dir);
      }
      target = Optional.of(targets.check("target-directory", dir.asText()).toString());
    }
    JsonNode cancel = body.get("cancel-job");
    if (cancel != null && !cancel.isNull() && !cancel.isBoolean()) {
      throw RestException.badRequest("cancel-job must be true or false, got " + cancel);
    }
    boolean cancelJob = cancel != null && cancel.asBoolean(false);
    calls
        .await(dispatcher.requestJob(id), "POST /jobs/" + id + "/savepoints")
        .orElseThrow(() -> RestException.notFound("job " + id + " not found"));
    String triggerId = UUID.randomUUID().toString().replace("-", "");
    CompletableFuture<String> savepoint = dispatcher.triggerSavepoint(id, target, cancelJob);
    synchronized (operations) {
      operations.put(triggerId, new SavepointOperation(id, savepoint));
    }
    LOG.info(
        "Savepoint {} of job {} requested through REST (target {}, cancel-job {})",
        triggerId,
        id,
        target.orElse("state.savepoints.dir"),
        cancelJob);
    ctx.status(202).json(Map.of("request-id", triggerId));
  }

  /** {@code GET /jobs/{id}/savepoints/{triggerId}}. */
  void savepointStatus(Context ctx) {
    JobId id = JobHandlers.jobId(ctx);
    String triggerId = ctx.pathParam("triggerId");
    SavepointOperation operation;
    synchronized (operations) {
      operation = operations.get(triggerId);
    }
    if (operation == null || !operation.jobId().equals(id)) {
      throw RestException.notFound("no savepoint operation " + triggerId + " for job " + id);
    }
    CompletableFuture<String> f = operation.savepoint();
    Map<String, Object> body = new LinkedHashMap<>();
    if (!f.isDone()) {
      body.put("status", Map.of("id", "IN_PROGRESS"));
      body.put("operation", null);
    } else {
      body.put("status", Map.of("id", "COMPLETED"));
      try {
        body.put("operation", Map.of("location", f.join()));
      } catch (CompletionException | java.util.concurrent.CancellationException e) {
        Throwable cause = FailureCauses.unwrap(e);
        LOG.info("Savepoint {} of job {} failed", triggerId, id, cause);
        // the logs have the frames; Flink's "stack-trace" field holds the message chain here, so
        // clients that read it get one line and nothing of the JobManager's insides
        String chain = ErrorLines.chain(cause);
        Map<String, Object> failure = new LinkedHashMap<>();
        failure.put("class", cause.getClass().getName());
        failure.put("message", chain);
        failure.put("stack-trace", chain);
        body.put("operation", Map.of("failure-cause", failure));
      }
    }
    ctx.json(body);
  }

  private record SavepointOperation(JobId jobId, CompletableFuture<String> savepoint) {}
}
