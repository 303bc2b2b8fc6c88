package io.baton.coordinator.rest;

import io.baton.common.config.ErrorLines;
import io.baton.common.config.JobManagerOptions;
import io.baton.coordinator.dispatcher.UnknownJobException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits, on a REST thread and never longer than the timeout, for the dispatcher's answer, and turns
 * what can go wrong into the HTTP status a client should see.
 */
final class DispatcherCalls {
  private final Duration timeout;
  private final String timeoutText;

  DispatcherCalls(Duration timeout) {
    // any duration option prints a duration the way configuration files write it
    this.timeout = timeout;
    this.timeoutText = JobManagerOptions.PROGRAM_TIMEOUT.print(timeout);
  }

  /**
   * @param what the request, for messages (e.g. "GET /overview")
   * @throws RestException 404 for an unknown job, 504 on timeout, 500 for other failures
   */
  <T> T await(CompletableFuture<T> answer, String what) {
    try {
      return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new RestException(
          504, "the JobManager did not answer " + what + " within " + timeoutText, e);
    } catch (ExecutionException | CompletionException | CancellationException e) {
      Throwable cause = unwrap(e);
      if (cause instanceof UnknownJobException unknown) {
        throw new RestException(404, unknown.getMessage(), unknown);
      }
      if (cause instanceof RestException rest) {
        throw rest;
      }
      if (cause instanceof IllegalArgumentException bad) {
        // the request named something that cannot be (a savepoint path, a configuration value)
        throw new RestException(400, describe(bad), bad);
      }
      throw new RestException(500, what + " failed: " + ErrorLines.chain(cause), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RestException(503, "interrupted while waiting for " + what, e);
    }
  }

  private static Throwable unwrap(Throwable t) {
    Throwable cause = t;
    while ((cause instanceof ExecutionException || cause instanceof CompletionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  static String describe(Throwable t) {
    String message = ErrorLines.firstLine(t.getMessage());
    return message.isBlank() ? t.getClass().getName() : message;
  }
}
