package io.baton.coordinator.checkpoint;

import io.baton.common.checkpoint.StateFileHandle;
import io.baton.common.concurrent.MainThreadExecutor.Cancellable;
import io.baton.common.ids.ExecutionId;
import io.baton.coordinator.checkpoint.CheckpointStats.SubtaskStats;
import io.baton.coordinator.checkpoint.CheckpointStats.TaskStats;
import io.baton.coordinator.executiongraph.Execution;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * A checkpoint that was triggered and waits for the acknowledgements of the executions that were
 * current when it was triggered. Used on the job master's thread only.
 */
final class PendingCheckpoint {
  /** Which subtask of which vertex an awaited execution runs. */
  record Subtask(int vertexId, int index) {
    static Subtask of(Execution execution) {
      return new Subtask(execution.vertex().jobVertex().id(), execution.vertex().subtaskIndex());
    }
  }

  private final long id;
  private final long triggerTimestamp;
  private final URI directory;
  private final boolean savepoint;
  private final Set<ExecutionId> notYetAcknowledged;
  private final Map<ExecutionId, Subtask> subtasks;
  // the figures of those that acknowledged: for the REST API's per-vertex details
  private final Map<ExecutionId, SubtaskStats> acknowledged = new HashMap<>();
  private final int numSubtasks;
  private final List<StateFileHandle> state = new ArrayList<>();
  private final CompletableFuture<String> completion = new CompletableFuture<>();
  private Cancellable timeout = Cancellable.NONE;
  private long latestAckTimestamp;
  private boolean finalizing;

  PendingCheckpoint(
      long id,
      long triggerTimestamp,
      URI directory,
      boolean savepoint,
      Map<ExecutionId, Subtask> executions) {
    this.id = id;
    this.triggerTimestamp = triggerTimestamp;
    this.directory = directory;
    this.savepoint = savepoint;
    this.notYetAcknowledged = new HashSet<>(executions.keySet());
    this.subtasks = Map.copyOf(executions);
    this.numSubtasks = executions.size();
    this.latestAckTimestamp = triggerTimestamp;
  }

  /**
   * Takes an execution's state handles.
   *
   * @return false when the execution is not awaited (another attempt's, or acknowledged before)
   */
  boolean acknowledge(ExecutionId execution, List<StateFileHandle> handles, long now) {
    if (notYetAcknowledged.remove(execution)) {
      state.addAll(handles);
      latestAckTimestamp = now;
      acknowledged.put(
          execution,
          new SubtaskStats(
              subtasks.get(execution).index(),
              true,
              now,
              handles.stream().mapToLong(StateFileHandle::sizeBytes).sum(),
              Math.max(0, now - triggerTimestamp)));
      return true;
    }
    return false;
  }

  boolean expects(ExecutionId execution) {
    return notYetAcknowledged.contains(execution);
  }

  boolean fullyAcknowledged() {
    return notYetAcknowledged.isEmpty();
  }

  long id() {
    return id;
  }

  long triggerTimestamp() {
    return triggerTimestamp;
  }

  long latestAckTimestamp() {
    return latestAckTimestamp;
  }

  URI directory() {
    return directory;
  }

  boolean savepoint() {
    return savepoint;
  }

  int numSubtasks() {
    return numSubtasks;
  }

  int numAcknowledged() {
    return numSubtasks - notYetAcknowledged.size();
  }

  List<StateFileHandle> state() {
    return List.copyOf(state);
  }

  long stateSize() {
    return state.stream().mapToLong(StateFileHandle::sizeBytes).sum();
  }

  /** Its figures per vertex (by vertex id) and subtask (by index), acknowledged or not yet. */
  List<TaskStats> tasks() {
    Map<Integer, Map<Integer, SubtaskStats>> byVertex = new TreeMap<>();
    subtasks.forEach(
        (execution, subtask) ->
            byVertex
                .computeIfAbsent(subtask.vertexId(), v -> new TreeMap<>())
                .put(
                    subtask.index(),
                    acknowledged.getOrDefault(execution, SubtaskStats.pending(subtask.index()))));
    List<TaskStats> tasks = new ArrayList<>();
    byVertex.forEach(
        (vertex, bySubtask) -> tasks.add(new TaskStats(vertex, List.copyOf(bySubtask.values()))));
    return tasks;
  }

  /** Completes with the checkpoint's directory, or fails with why it was aborted. */
  CompletableFuture<String> completion() {
    return completion;
  }

  void setTimeout(Cancellable timeout) {
    this.timeout = timeout;
  }

  void cancelTimeout() {
    timeout.cancel();
  }

  /** Marks that its metadata is being written: it can no longer time out or be declined. */
  void startFinalizing() {
    finalizing = true;
    timeout.cancel();
  }

  boolean finalizing() {
    return finalizing;
  }
}
