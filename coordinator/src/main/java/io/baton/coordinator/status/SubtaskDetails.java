package io.baton.coordinator.status;

import io.baton.common.execution.ExecutionState;
import java.util.Map;

/**
 * One parallel instance of a vertex in its current attempt.
 *
 * @param timestamps epoch millis at which the current attempt first reached each state it has
 *     reached (states not reached are absent)
 */
public record SubtaskDetails(
    int subtask,
    ExecutionState status,
    int attempt,
    String taskManagerId,
    String host,
    long recordsIn,
    long recordsOut,
    Map<ExecutionState, Long> timestamps) {

  public SubtaskDetails {
    timestamps = timestamps == null ? Map.of() : Map.copyOf(timestamps);
  }

  /** A subtask whose state timestamps are not known. */
  public SubtaskDetails(
      int subtask,
      ExecutionState status,
      int attempt,
      String taskManagerId,
      String host,
      long recordsIn,
      long recordsOut) {
    this(subtask, status, attempt, taskManagerId, host, recordsIn, recordsOut, Map.of());
  }
}
