package io.baton.coordinator.executiongraph;

import io.baton.common.execution.ExecutionState;
import io.baton.common.execution.TaskIoCounters;
import io.baton.common.ids.ExecutionId;
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
  private final BiConsumer<ExecutionState, ExecutionState> stateListener;
  // its attempt's sum, which follows each change of this one's metrics
  private final AttemptIoTotals ioTotals;
  private final Map<ExecutionState, Long> stateTimestamps = new EnumMap<>(ExecutionState.class);
  private ExecutionState state = ExecutionState.CREATED;
  private AllocatedSlot slot;
  private String failureCause;
  private TaskIoCounters metrics;
  private boolean submitAcknowledged;

  Execution(
      ExecutionVertex vertex,
      int attempt,
      long now,
      BiConsumer<ExecutionState, ExecutionState> stateListener,
      AttemptIoTotals ioTotals) {
    this(vertex, ExecutionId.random(), attempt, now, stateListener, ioTotals);
  }

  /**
   * An execution a previous leader deployed and this one adopts: it keeps its id, attempt and start
   * time, and runs already in {@code slot}.
   */
  static Execution adopted(
      ExecutionVertex vertex,
      ExecutionId id,
      int attempt,
      long startTime,
      AllocatedSlot slot,
      BiConsumer<ExecutionState, ExecutionState> stateListener,
      AttemptIoTotals ioTotals) {
    Execution e = new Execution(vertex, id, attempt, startTime, stateListener, ioTotals);
    e.assign(slot);
    e.markSubmitAcknowledged();
    e.transitionTo(ExecutionState.DEPLOYING, startTime);
    // when it turned RUNNING died with the previous leader: its deployment is the best we know
    e.transitionTo(ExecutionState.RUNNING, startTime);
    return e;
  }

  private Execution(
      ExecutionVertex vertex,
      ExecutionId id,
      int attempt,
      long now,
      BiConsumer<ExecutionState, ExecutionState> stateListener,
      AttemptIoTotals ioTotals) {
    this.vertex = vertex;
    this.id = id;
    this.metrics = new TaskIoCounters(id, 0, 0, 0, 0, 0);
    this.attempt = attempt;
    this.stateListener = stateListener;
    this.ioTotals = ioTotals;
    stateTimestamps.put(ExecutionState.CREATED, now);
    stateListener.accept(null, ExecutionState.CREATED);
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

  public ExecutionState state() {
    return state;
  }

  public boolean isTerminal() {
    return isTerminal(state);
  }

  public static boolean isTerminal(ExecutionState state) {
    return state == ExecutionState.FINISHED
        || state == ExecutionState.CANCELED
        || state == ExecutionState.FAILED;
  }

  /** Moves to {@code next}; a terminal state is never left. Returns whether the state changed. */
  public boolean transitionTo(ExecutionState next, long now) {
    if (isTerminal() || state == next) {
      return false;
    }
    ExecutionState previous = state;
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
  public long timestamp(ExecutionState s) {
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
    if (transitionTo(ExecutionState.FAILED, now)) {
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

  public TaskIoCounters metrics() {
    return metrics;
  }

  public void updateMetrics(TaskIoCounters metrics) {
    ioTotals.replace(this.metrics, metrics);
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
