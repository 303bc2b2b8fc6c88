package io.baton.coordinator.checkpoint;

import io.baton.common.checkpoint.CheckpointNotice;
import io.baton.common.checkpoint.CheckpointTrigger;
import io.baton.common.concurrent.MainThreadExecutor;
import io.baton.common.execution.ExecutionState;
import io.baton.common.ids.JobId;
import io.baton.coordinator.executiongraph.Execution;
import io.baton.coordinator.executiongraph.ExecutionGraph;
import io.baton.coordinator.failover.FailureCauses;
import java.net.URI;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * A job's current tasks as its checkpoints see them: whether a checkpoint can be taken, which tasks
 * take part, and the messages to them (triggers to the sources, completion and abort notices to
 * every running task). Job master's main thread; answers come back to it.
 */
final class CheckpointTasks {
  private final JobId jobId;
  private final ExecutionGraph executionGraph;
  private final MainThreadExecutor mainThread;

  CheckpointTasks(JobId jobId, ExecutionGraph executionGraph, MainThreadExecutor mainThread) {
    this.jobId = jobId;
    this.executionGraph = executionGraph;
    this.mainThread = mainThread;
  }

  /**
   * Every task is RUNNING, or FINISHED already (a bounded source that ended after an earlier
   * checkpoint), and some source still runs to inject the barrier.
   */
  boolean allRunning() {
    List<Execution> executions = executionGraph.currentExecutions();
    return executions.stream()
            .allMatch(
                e -> e.state() == ExecutionState.RUNNING || e.state() == ExecutionState.FINISHED)
        && executions.stream()
            .anyMatch(
                e -> e.state() == ExecutionState.RUNNING && e.vertex().jobVertex().isSource());
  }

  /** The tasks a checkpoint triggered now waits for: those that finished have nothing to add. */
  List<Execution> taking() {
    return executionGraph.currentExecutions().stream()
        .filter(e -> e.state() == ExecutionState.RUNNING)
        .toList();
  }

  /**
   * Triggers checkpoint {@code id} at each source among {@code executions} (barriers reach the
   * rest); {@code refused} hears, on the main thread, of each source that could not take it and
   * why.
   */
  void trigger(
      List<Execution> executions,
      long id,
      long timestamp,
      URI directory,
      boolean savepoint,
      BiConsumer<Execution, String> refused) {
    for (Execution e : executions) {
      if (!e.vertex().jobVertex().isSource()) {
        continue;
      }
      CheckpointTrigger request =
          new CheckpointTrigger(jobId, e.id(), id, timestamp, directory.toString(), savepoint);
      e.slot()
          .gateway()
          .triggerCheckpoint(request)
          .whenCompleteAsync(
              (ack, error) -> {
                if (error != null) {
                  refused.accept(e, String.valueOf(FailureCauses.unwrap(error)));
                } else if (!ack.ok()) {
                  refused.accept(e, ack.error());
                }
              },
              mainThread);
    }
  }

  /** Tells every running task that checkpoint {@code id} completed: it may commit. */
  void notifyCompleted(long id) {
    for (Execution e : running()) {
      e.slot().gateway().notifyCheckpointComplete(new CheckpointNotice(jobId, e.id(), id));
    }
  }

  /** Tells every running task that checkpoint {@code id} was aborted. */
  void notifyAborted(long id) {
    for (Execution e : running()) {
      e.slot().gateway().notifyCheckpointAborted(new CheckpointNotice(jobId, e.id(), id));
    }
  }

  private List<Execution> running() {
    return executionGraph.currentExecutions().stream()
        .filter(e -> e.state() == ExecutionState.RUNNING && e.slot() != null)
        .toList();
  }
}
