package io.baton.taskmanager.operators;

import java.util.List;

/** The state a source or sink gets back before it opens, from a checkpoint or savepoint. */
public sealed interface RestoredOperatorState {

  /** What this subtask itself wrote, at the same parallelism. */
  record Same(byte[] state) implements RestoredOperatorState {}

  /** What every subtask of the previous run wrote (index = previous subtask index). */
  record Rescaled(List<byte[]> previousStates) implements RestoredOperatorState {}
}
