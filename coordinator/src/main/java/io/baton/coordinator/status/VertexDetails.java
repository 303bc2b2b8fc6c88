package io.baton.coordinator.status;

import io.baton.common.execution.ExecutionState;
import java.util.List;
import java.util.Map;

/**
 * One vertex (operator chain) of a job.
 *
 * @param status the vertex's aggregate state (RUNNING while any subtask runs, etc.)
 * @param taskCounts subtasks per state
 * @param recordsIn records read, summed over subtasks (from the latest heartbeats)
 * @param subtasks one entry per subtask
 * @param maxParallelism the most subtasks its keyed state can be split into
 * @param inputs the vertices it reads from, in the order of its inputs
 */
public record VertexDetails(
    int id,
    String name,
    int parallelism,
    ExecutionState status,
    long startTime,
    Map<ExecutionState, Integer> taskCounts,
    long recordsIn,
    long recordsOut,
    long bytesIn,
    long bytesOut,
    List<SubtaskDetails> subtasks,
    int maxParallelism,
    List<Input> inputs) {

  public VertexDetails {
    inputs = inputs == null ? List.of() : List.copyOf(inputs);
  }

  /** A vertex whose maximum parallelism and inputs are not known. */
  public VertexDetails(
      int id,
      String name,
      int parallelism,
      ExecutionState status,
      long startTime,
      Map<ExecutionState, Integer> taskCounts,
      long recordsIn,
      long recordsOut,
      long bytesIn,
      long bytesOut,
      List<SubtaskDetails> subtasks) {
    this(
        id,
        name,
        parallelism,
        status,
        startTime,
        taskCounts,
        recordsIn,
        recordsOut,
        bytesIn,
        bytesOut,
        subtasks,
        parallelism,
        List.of());
  }

  /**
   * One input of a vertex.
   *
   * @param sourceVertexId the vertex it reads from
   * @param partitioning how records reach the subtasks: FORWARD, HASH or REBALANCE
   */
  public record Input(int sourceVertexId, String partitioning) {}
}
