package io.baton.taskmanager.executor;

import com.google.common.base.Throwables;
import io.baton.common.cluster.Acknowledgement;
import io.baton.common.concurrent.MainThreadExecutor;
import io.baton.common.execution.ExecutionState;
import io.baton.common.execution.ExecutionStateUpdate;
import io.baton.common.execution.TaskIoCounters;
import io.baton.common.ids.ExecutionId;
import io.baton.common.ids.JobId;
import io.baton.common.ids.TaskManagerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends tasks' state changes to the JobManager, in order per task: an update is sent only after the
 * one before it was answered or given up. While the JobManager is unreachable an update is retried
 * with backoff for up to the heartbeat timeout; the JobManager would by then have declared this
 * TaskManager lost anyway. Confined to the TaskManager's main thread.
 */
final class TaskStateReporter {
  private static final Logger LOG = LoggerFactory.getLogger(TaskStateReporter.class);
  private static final Duration MAX_CALL = Duration.ofSeconds(10);
  private static final Duration MIN_CALL = Duration.ofMillis(200);

  private final JobManagerConnection gateway;
  private final MainThreadExecutor mainThread;
  private final TaskManagerId taskManagerId;
  private final Duration retryFor;
  private final LongSupplier nanoClock;

  /** The last queued update of each task that still has one in flight. */
  private final Map<ExecutionId, CompletableFuture<Void>> tails = new HashMap<>();

  TaskStateReporter(
      JobManagerConnection gateway,
      MainThreadExecutor mainThread,
      TaskManagerId taskManagerId,
      Duration retryFor,
      LongSupplier nanoClock) {
    this.gateway = gateway;
    this.mainThread = mainThread;
    this.taskManagerId = taskManagerId;
    this.retryFor = retryFor;
    this.nanoClock = nanoClock;
  }

  /**
   * Queues a state change; it is sent once the task's earlier ones were.
   *
   * @param finalMetrics the task's counters when it ended, or null
   */
  void report(
      JobId jobId,
      ExecutionId executionId,
      ExecutionState state,
      Throwable cause,
      TaskIoCounters finalMetrics) {
    mainThread.assertRunningInMainThread();
    ExecutionStateUpdate message =
        new ExecutionStateUpdate(
            jobId,
            executionId,
            state,
            cause == null ? "" : Throwables.getStackTraceAsString(cause),
            taskManagerId,
            Optional.ofNullable(finalMetrics));
    CompletableFuture<Void> previous =
        tails.getOrDefault(executionId, CompletableFuture.completedFuture(null));
    CompletableFuture<Void> sent = new CompletableFuture<>();
    previous.whenComplete((ignored, error) -> runOnMainThread(() -> send(message, sent)));
    tails.put(executionId, sent);
    sent.whenComplete(
        (ignored, error) ->
            runOnMainThread(
                () -> {
                  if (tails.get(executionId) == sent) {
                    tails.remove(executionId);
                  }
                }));
  }

  /** Completes when every update queued so far was sent or given up. */
  CompletableFuture<Void> drained() {
    return CompletableFuture.allOf(
        new ArrayList<>(tails.values()).toArray(CompletableFuture[]::new));
  }

  private void send(ExecutionStateUpdate update, CompletableFuture<Void> done) {
    long giveUpAt = nanoClock.getAsLong() + retryFor.toNanos();
    attempt(update, done, giveUpAt, new RetryBackoff(), 1);
  }

  private void attempt(
      ExecutionStateUpdate update,
      CompletableFuture<Void> done,
      long giveUpAt,
      RetryBackoff backoff,
      int attempt) {
    mainThread.assertRunningInMainThread();
    Duration remaining = Duration.ofNanos(giveUpAt - nanoClock.getAsLong());
    Duration deadline =
        remaining.compareTo(MIN_CALL) < 0
            ? MIN_CALL
            : remaining.compareTo(MAX_CALL) > 0 ? MAX_CALL : remaining;
    gateway
        .updateTaskState(update, deadline)
        .whenComplete(
            (ack, error) ->
                runOnMainThread(
                    () -> onAnswer(update, done, giveUpAt, backoff, attempt, ack, error)));
  }

  private void onAnswer(
      ExecutionStateUpdate update,
      CompletableFuture<Void> done,
      long giveUpAt,
      RetryBackoff backoff,
      int attempt,
      Acknowledgement ack,
      Throwable error) {
    mainThread.assertRunningInMainThread();
    if (error == null) {
      if (!ack.ok()) {
        LOG.warn(
            "JobManager {} refused state {} of execution {} (job {}): {}",
            gateway.address(),
            update.state(),
            update.executionId(),
            update.jobId(),
            ack.error());
      } else {
        LOG.debug("Reported {} of execution {}", update.state(), update.executionId());
      }
      done.complete(null);
      return;
    }
    Duration delay = backoff.next();
    if (nanoClock.getAsLong() + delay.toNanos() >= giveUpAt) {
      LOG.warn(
          "Could not report state {} of execution {} (job {}) to JobManager {} within {} ms:"
              + " {}; giving up",
          update.state(),
          update.executionId(),
          update.jobId(),
          gateway.address(),
          retryFor.toMillis(),
          JobManagerCallException.describe(error));
      done.complete(null);
      return;
    }
    if (attempt == 1) {
      LOG.info(
          "Reporting state {} of execution {} to JobManager {} failed: {}; retrying",
          update.state(),
          update.executionId(),
          gateway.address(),
          JobManagerCallException.describe(error));
    }
    try {
      mainThread.schedule(() -> attempt(update, done, giveUpAt, backoff, attempt + 1), delay);
    } catch (RejectedExecutionException shuttingDown) {
      done.complete(null);
    }
  }

  private void runOnMainThread(Runnable action) {
    try {
      mainThread.execute(action);
    } catch (RejectedExecutionException shuttingDown) {
      LOG.debug("Dropping a task state report: the TaskManager is shutting down");
    }
  }
}
