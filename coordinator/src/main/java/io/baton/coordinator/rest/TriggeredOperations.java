package io.baton.coordinator.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.common.config.ErrorLines;
import io.baton.coordinator.failover.FailureCauses;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Flink's asynchronous operations (savepoints, stop-with-savepoint, savepoint disposal): a trigger
 * answers {@code {"request-id": "<trigger id>"}}, and the status under that id answers {@code
 * {"status": {"id": "IN_PROGRESS" | "COMPLETED"}, "operation": ...}}. The newest operations are
 * remembered, the oldest forgotten first.
 *
 * @param <T> what is remembered of one operation
 */
final class TriggeredOperations<T> {
  private static final int MAX_OPERATIONS = 256;
  private static final Pattern TRIGGER_ID = Pattern.compile("[0-9a-f]{32}");

  private final Map<String, T> operations =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, T> eldest) {
          return size() > MAX_OPERATIONS;
        }
      };

  /**
   * The trigger id a client chose in the body's {@code triggerId} (Flink's clients may, to make a
   * retried trigger idempotent), else a new one.
   *
   * @throws RestException 400 when the given one is no 32-digit hex id
   */
  static String triggerId(JsonNode body) {
    JsonNode given = body.get("triggerId");
    if (given == null || given.isNull()) {
      return UUID.randomUUID().toString().replace("-", "");
    }
    if (!given.isTextual() || !TRIGGER_ID.matcher(given.asText()).matches()) {
      throw RestException.badRequest("triggerId must be 32 hexadecimal digits, got " + given);
    }
    return given.asText();
  }

  /** Remembers an operation; the same trigger id again keeps the first (a retried trigger). */
  synchronized T putIfAbsent(String triggerId, T operation) {
    T earlier = operations.putIfAbsent(triggerId, operation);
    return earlier != null ? earlier : operation;
  }

  synchronized Optional<T> get(String triggerId) {
    return Optional.ofNullable(operations.get(triggerId));
  }

  /** Answers a trigger: 202 with the trigger id. */
  static void accepted(Context ctx, String triggerId) {
    ctx.status(202).json(Map.of("request-id", triggerId));
  }

  /**
   * Answers a status query.
   *
   * @param success the {@code operation} object of a completed operation, from its result
   * @param onFailure called with the failure's cause before it is answered (to log it)
   */
  static <R> void status(
      Context ctx,
      CompletableFuture<R> operation,
      Function<R, Map<String, Object>> success,
      java.util.function.Consumer<Throwable> onFailure) {
    Map<String, Object> body = new LinkedHashMap<>();
    if (!operation.isDone()) {
      body.put("status", Map.of("id", "IN_PROGRESS"));
      body.put("operation", null);
      ctx.json(body);
      return;
    }
    body.put("status", Map.of("id", "COMPLETED"));
    try {
      body.put("operation", success.apply(operation.join()));
    } catch (CompletionException | CancellationException e) {
      Throwable cause = FailureCauses.unwrap(e);
      onFailure.accept(cause);
      String chain = ErrorLines.chain(cause);
      if (FlinkPathPrefix.fromFlinkClient(ctx.req())) {
        // Flink's client reads a failure-cause only as a Java-serialized Flink exception; an error
        // answer it does read, and shows its one line
        throw new RestException(
            cause instanceof IllegalArgumentException ? 400 : 500, chain, cause);
      }
      // the logs have the frames; Flink's "stack-trace" field holds the message chain here, so
      // clients that read it get one line and nothing of the JobManager's insides
      Map<String, Object> failure = new LinkedHashMap<>();
      failure.put("class", cause.getClass().getName());
      failure.put("message", chain);
      failure.put("stack-trace", chain);
      body.put("operation", Map.of("failure-cause", failure));
    }
    ctx.json(body);
  }
}
