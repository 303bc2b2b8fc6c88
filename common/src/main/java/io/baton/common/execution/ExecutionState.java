package io.baton.common.execution;

/**
 * Where one execution attempt of a subtask stands, as the JobManager and the TaskManager running it
 * agree on it. The order is Flink's; {@link #isTerminal()} names the states an attempt never
 * leaves.
 */
public enum ExecutionState {
  CREATED,
  SCHEDULED,
  DEPLOYING,
  RUNNING,
  FINISHED,
  CANCELING,
  CANCELED,
  FAILED;

  /** Whether the attempt has ended: finished, canceled or failed. */
  public boolean isTerminal() {
    return this == FINISHED || this == CANCELED || this == FAILED;
  }
}
