package io.baton.coordinator.rest;

import io.baton.common.cluster.RpcAddress;
import io.baton.common.config.JobManagerOptions;
import io.baton.common.diagnostics.ProcessFigures;
import io.baton.coordinator.rpc.TaskManagerCallException;
import io.baton.coordinator.rpc.TaskManagerDiagnostics;
import io.baton.coordinator.status.TaskManagerDetails;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits, on a REST thread and never longer than the timeout, for a TaskManager's answer, and turns
 * what can go wrong into one line naming the TaskManager: 504 when it did not answer in time, 503
 * when it cannot be reached, 502 when it answered with an error.
 */
final class TaskManagerCalls {
  private static final Logger LOG = LoggerFactory.getLogger(TaskManagerCalls.class);

  private final TaskManagerDiagnostics diagnostics;
  private final Duration timeout;
  private final String timeoutText;

  TaskManagerCalls(TaskManagerDiagnostics diagnostics, Duration timeout) {
    this.diagnostics = diagnostics;
    this.timeout = timeout;
    this.timeoutText = JobManagerOptions.PROGRAM_TIMEOUT.print(timeout);
  }

  /**
   * @throws RestException 504, 503 or 502 naming the TaskManager and the request
   */
  <T> T await(CompletableFuture<T> answer, TaskManagerDetails tm, Context ctx) {
    String what = ctx.method() + " " + ctx.path();
    String who = "TaskManager " + tm.id() + " at " + tm.address();
    try {
      return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      answer.cancel(true);
      throw new RestException(504, who + " did not answer " + what + " within " + timeoutText, e);
    } catch (ExecutionException | CompletionException | CancellationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      if (cause instanceof TaskManagerCallException call) {
        throw switch (call.reason()) {
          case TIMED_OUT ->
              new RestException(
                  504, who + " did not answer " + what + " within " + timeoutText, call);
          case UNREACHABLE ->
              new RestException(
                  503, who + " is unreachable for " + what + ": " + call.getMessage(), call);
          case FAILED ->
              new RestException(502, who + " failed " + what + ": " + call.getMessage(), call);
        };
      }
      throw new RestException(
          500, what + " failed on " + who + ": " + DispatcherCalls.describe(cause), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RestException(503, "interrupted while waiting for " + who, e);
    }
  }

  /**
   * The TaskManager's JVM figures, or empty when it does not answer (logged): a details page still
   * shows what its heartbeats told.
   */
  Optional<ProcessFigures> figuresIfAnswered(
      TaskManagerDetails tm, RpcAddress address, Context ctx) {
    try {
      return Optional.of(await(diagnostics.reportProcess(address), tm, ctx));
    } catch (RestException e) {
      LOG.info("{}; its details show its heartbeat's figures only", e.getMessage());
      return Optional.empty();
    }
  }
}
