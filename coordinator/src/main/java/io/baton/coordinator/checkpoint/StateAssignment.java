package io.baton.coordinator.checkpoint;

import io.baton.api.graph.JobVertex;
import io.baton.api.graph.OperatorSpec;
import io.baton.common.checkpoint.StateFileHandle;
import io.baton.common.state.KeyGroups;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which state handles of a checkpoint a new subtask restores, matched to its operators by uid:
 * keyed handles whose key-group range overlaps the subtask's range (so state follows its keys when
 * the parallelism changed); source and sink handles of the same subtask index when the parallelism
 * is unchanged, else all handles of the operator ordered by subtask index.
 */
public final class StateAssignment {
  private StateAssignment() {}

  public static List<StateFileHandle> forSubtask(
      CheckpointMetadata checkpoint, JobVertex vertex, int subtaskIndex) {
    Set<String> uids = vertex.chain().stream().map(OperatorSpec::uid).collect(Collectors.toSet());
    int first =
        KeyGroups.firstKeyGroup(subtaskIndex, vertex.maxParallelism(), vertex.parallelism());
    int last = KeyGroups.lastKeyGroup(subtaskIndex, vertex.maxParallelism(), vertex.parallelism());
    List<StateFileHandle> result = new ArrayList<>();
    List<CheckpointMetadata.Handle> sorted = new ArrayList<>(checkpoint.state());
    sorted.sort(
        Comparator.comparing(CheckpointMetadata.Handle::operatorUid)
            .thenComparingInt(CheckpointMetadata.Handle::subtaskIndex)
            .thenComparingInt(CheckpointMetadata.Handle::keyGroupStart));
    for (CheckpointMetadata.Handle h : sorted) {
      if (!uids.contains(h.operatorUid())) {
        continue;
      }
      boolean take =
          "keyed".equals(h.kind())
              ? h.keyGroupStart() <= last && h.keyGroupEnd() >= first
              : h.parallelism() != vertex.parallelism() || h.subtaskIndex() == subtaskIndex;
      if (take) {
        result.add(h.toStateFileHandle());
      }
    }
    return result;
  }
}
