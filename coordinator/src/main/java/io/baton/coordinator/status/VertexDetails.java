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
    List<SubtaskDetails> subtasks) {}
