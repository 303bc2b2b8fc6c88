package io.baton.coordinator.scheduler;

import io.baton.common.ids.ExecutionId;
import io.baton.common.rpc.TaskMetrics;
import io.baton.common.rpc.TaskState;
import io.baton.coordinator.resourcemanager.AllocatedSlot;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * One attempt to run one subtask: its id on the wire, its state, where it runs and what it
 * reported. Used on the job master's thread only.
 */
public final class Execution {
  private final ExecutionVertex vertex;
  private final ExecutionId id;
  private final int attempt;
  private final BiConsumer<TaskState, TaskState> stateListener;
  private final Map<TaskState, Long> stateTimestamps = new EnumMap<>(TaskState.class);
  private TaskState state = TaskState.CREATED;
  private AllocatedSlot slot;
  private String failureCause;
  private TaskMetrics metrics = TaskMetrics.getDefaultInstance();
  private boolean submitAcknowledged;

  Execution(
      ExecutionVertex vertex,
      int attempt,
      long now,
      BiConsumer<TaskState, TaskState> stateListener) {
    this.vertex = vertex;
    this.id = ExecutionId.random();
    this.attempt = attempt;
    this.stateListener = stateListener;
    stateTimestamps.put(TaskState.CREATED, now);
    stateListener.accept(null, TaskState.CREATED);
  }

  public ExecutionVertex vertex() {
    return vertex;
  }

  public ExecutionId id() {
    return id;
  }

  public int attempt() {
    return attempt;
  }

  public TaskState state() {
    return state;
  }

  public boolean isTerminal() {
    return isTerminal(state);
  }

  public static boolean isTerminal(TaskState state) {
    return state == TaskState.FINISHED || state == TaskState.CANCELED || state == TaskState.FAILED;
  }

  /** Moves to {@code next}; a terminal state is never left. Returns whether the state changed. */
  public boolean transitionTo(TaskState next, long now) {
    if (isTerminal() || state == next) {
      return false;
    }
    TaskState previous = state;
    state = next;
    stateTimestamps.putIfAbsent(next, now);
    stateListener.accept(previous, next);
    return true;
  }

  /** Stops counting this execution in the task metrics (it was replaced or its job ended). */
  void retire() {
    stateListener.accept(state, null);
  }

  /** Epoch millis it first reached {@code s}, or -1. */
  public long timestamp(TaskState s) {
    return stateTimestamps.getOrDefault(s, -1L);
  }

  public AllocatedSlot slot() {
    return slot;
  }

  public void assign(AllocatedSlot slot) {
    this.slot = slot;
  }

  public String failureCause() {
    return failureCause;
  }

  public void markFailed(String cause, long now) {
    if (transitionTo(TaskState.FAILED, now)) {
      failureCause = cause;
    }
  }

  /**
   * Whether its TaskManager accepted the SubmitTask request (so a CancelTask cannot overtake it).
   */
  public boolean submitAcknowledged() {
    return submitAcknowledged;
  }

  public void markSubmitAcknowledged() {
    submitAcknowledged = true;
  }

  public TaskMetrics metrics() {
    return metrics;
  }

  public void updateMetrics(TaskMetrics metrics) {
    this.metrics = metrics;
  }

  /** "name (2/4) attempt 1", as logs name a task. */
  public String describe() {
    return vertex.describe() + " attempt " + attempt + " (" + id + ")";
  }

  @Override
  public String toString() {
    return describe();
  }
}
