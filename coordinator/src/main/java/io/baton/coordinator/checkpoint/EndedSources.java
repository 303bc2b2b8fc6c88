package io.baton.coordinator.checkpoint;

import io.baton.common.execution.ExecutionState;
import io.baton.common.ids.ExecutionId;
import io.baton.coordinator.executiongraph.Execution;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which sources of the current attempt emitted their last record and now wait for their final
 * checkpoint, and whether that checkpoint is due. A bounded job's last output commits only with it,
 * so once every source has ended there is no reason to wait up to an interval for it. Main thread.
 */
final class EndedSources {
  private final Set<ExecutionId> ended = new HashSet<>();
  // every source ended and no checkpoint was triggered since
  private boolean due;

  /**
   * Records that source {@code execution} ended.
   *
   * @param current the current attempt's executions
   * @return whether every source of {@code current} has now ended (or finished): then the final
   *     checkpoint is due
   */
  boolean ended(Execution execution, List<Execution> current) {
    ended.add(execution.id());
    boolean all = true;
    Set<ExecutionId> currentSources = new HashSet<>();
    for (Execution e : current) {
      if (!e.vertex().jobVertex().isSource()) {
        continue;
      }
      currentSources.add(e.id());
      if (!ended.contains(e.id()) && e.state() != ExecutionState.FINISHED) {
        all = false;
      }
    }
    // reports of earlier attempts say nothing about this one
    ended.retainAll(currentSources);
    due |= all;
    return all;
  }

  /**
   * Whether the final checkpoint is to be triggered now: it is due and {@code room} says another
   * checkpoint may be in flight. Once this answers yes, it is no longer due.
   */
  boolean takeDue(boolean room) {
    if (due && room) {
      due = false;
      return true;
    }
    return false;
  }

  /** The attempt is over (the job fails over or stops): nothing is due any more. */
  void attemptEnded() {
    due = false;
    ended.clear();
  }
}
