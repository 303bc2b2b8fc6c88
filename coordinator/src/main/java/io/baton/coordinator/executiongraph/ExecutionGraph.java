package io.baton.coordinator.executiongraph;

import io.baton.api.graph.JobGraph;
import io.baton.api.graph.JobVertex;
import io.baton.common.execution.ExecutionState;
import io.baton.common.ids.ExecutionId;
import io.baton.coordinator.resourcemanager.AllocatedSlot;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The runtime view of a job graph: per vertex, per subtask, the current attempt. A global restart
 * replaces every attempt with a new one (new execution id, attempt + 1). Used on the job master's
 * thread only.
 */
public final class ExecutionGraph {
  // vertex id -> subtasks, in the graph's topological order
  private final Map<Integer, List<ExecutionVertex>> vertices = new LinkedHashMap<>();
  private final Map<ExecutionId, Execution> currentById = new HashMap<>();
  private final BiConsumer<ExecutionState, ExecutionState> stateListener;
  private int attempt = -1;
  // a fresh sum per attempt: a replaced execution that still reports counts no more
  private AttemptIoTotals ioTotals = new AttemptIoTotals();

  /**
   * @param stateListener told of every task state change (null: new, or no longer counted)
   */
  public ExecutionGraph(
      JobGraph jobGraph, BiConsumer<ExecutionState, ExecutionState> stateListener) {
    this.stateListener = stateListener;
    for (JobVertex v : jobGraph.vertices()) {
      List<ExecutionVertex> subtasks = new ArrayList<>(v.parallelism());
      for (int i = 0; i < v.parallelism(); i++) {
        subtasks.add(new ExecutionVertex(v, i));
      }
      vertices.put(v.id(), Collections.unmodifiableList(subtasks));
    }
  }

  /** The attempt number of the current executions (0 for the first run). */
  public int attempt() {
    return attempt;
  }

  /** Replaces every subtask's execution with a fresh one in CREATED: the next attempt. */
  public void newAttempt(long now) {
    attempt++;
    currentById.values().forEach(Execution::retire);
    currentById.clear();
    ioTotals = new AttemptIoTotals();
    for (List<ExecutionVertex> subtasks : vertices.values()) {
      for (ExecutionVertex ev : subtasks) {
        Execution e = new Execution(ev, attempt, now, stateListener, ioTotals);
        ev.setCurrent(e);
        currentById.put(e.id(), e);
      }
    }
  }

  /** What a new leader knows of one running subtask it adopts: its execution and its slot. */
  public record AdoptedExecution(
      int vertexId,
      int subtaskIndex,
      ExecutionId executionId,
      int attempt,
      long startTime,
      AllocatedSlot slot) {}

  /**
   * Replaces every subtask's execution with the one a previous leader deployed and this one adopts,
   * RUNNING in its slot, keeping its id, attempt number and start time: no task restarts.
   *
   * @param attempt the adopted attempt's number
   * @throws IllegalArgumentException when {@code adopted} does not name every subtask exactly once
   */
  public void adoptAttempt(int attempt, List<AdoptedExecution> adopted) {
    Map<String, AdoptedExecution> bySubtask = new HashMap<>();
    for (AdoptedExecution a : adopted) {
      if (!vertices.containsKey(a.vertexId())
          || a.subtaskIndex() >= vertices.get(a.vertexId()).size()
          || bySubtask.put(a.vertexId() + "/" + a.subtaskIndex(), a) != null) {
        throw new IllegalArgumentException(
            "adopted execution "
                + a.executionId()
                + " names subtask "
                + a.vertexId()
                + "/"
                + a.subtaskIndex()
                + ", which the job does not have or which is named twice");
      }
    }
    int subtasks = vertices.values().stream().mapToInt(List::size).sum();
    if (bySubtask.size() != subtasks) {
      throw new IllegalArgumentException(
          "adopting " + bySubtask.size() + " executions for " + subtasks + " subtasks");
    }
    this.attempt = attempt;
    currentById.values().forEach(Execution::retire);
    currentById.clear();
    ioTotals = new AttemptIoTotals();
    for (List<ExecutionVertex> subtaskList : vertices.values()) {
      for (ExecutionVertex ev : subtaskList) {
        AdoptedExecution a = bySubtask.get(ev.jobVertex().id() + "/" + ev.subtaskIndex());
        Execution e =
            Execution.adopted(
                ev, a.executionId(), a.attempt(), a.startTime(), a.slot(), stateListener, ioTotals);
        ev.setCurrent(e);
        currentById.put(e.id(), e);
      }
    }
  }

  /** Stops counting the current executions in the task metrics; the job is over. */
  public void retireAll() {
    currentById.values().forEach(Execution::retire);
  }

  public List<ExecutionVertex> subtasks(int vertexId) {
    return vertices.get(vertexId);
  }

  /** The current executions, vertices in topological order, subtasks in index order. */
  public List<Execution> currentExecutions() {
    List<Execution> result = new ArrayList<>(currentById.size());
    for (List<ExecutionVertex> subtasks : vertices.values()) {
      for (ExecutionVertex ev : subtasks) {
        if (ev.current() != null) {
          result.add(ev.current());
        }
      }
    }
    return result;
  }

  /** The records and bytes of the current executions summed. */
  public AttemptIoTotals ioTotals() {
    return ioTotals;
  }

  /** The current execution with this id; null for an unknown or earlier attempt's id. */
  public Execution current(ExecutionId id) {
    return currentById.get(id);
  }

  public boolean allTerminal() {
    return currentById.values().stream().allMatch(Execution::isTerminal);
  }

  public boolean allFinished() {
    return currentById.values().stream().allMatch(e -> e.state() == ExecutionState.FINISHED);
  }
}
