package io.baton.coordinator.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.api.graph.JobVertex;
import io.baton.api.graph.OperatorKind;
import io.baton.api.graph.OperatorSpec;
import io.baton.common.checkpoint.StateFileHandle;
import io.baton.common.state.KeyGroups;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StateAssignmentTest {
  private static final int MAX = 128;

  record NoOp() implements Serializable {}

  private static JobVertex vertex(int parallelism) {
    return new JobVertex(
        2,
        "count -> sink",
        parallelism,
        MAX,
        List.of(
            new OperatorSpec("count-uid", "count", OperatorKind.KEYED_PROCESS, new NoOp(), s -> s),
            new OperatorSpec("sink-uid", "sink", OperatorKind.SINK, new NoOp(), null)));
  }

  /** A checkpoint of the vertex at {@code parallelism}: one keyed and one sink file per subtask. */
  private static CheckpointMetadata checkpoint(int parallelism) {
    List<CheckpointMetadata.Handle> handles = new ArrayList<>();
    for (int i = 0; i < parallelism; i++) {
      handles.add(
          new CheckpointMetadata.Handle(
              "file:///cp/chk-1/2_" + i + "_0_keyed",
              10,
              1,
              "keyed",
              "count-uid",
              0,
              i,
              parallelism,
              KeyGroups.firstKeyGroup(i, MAX, parallelism),
              KeyGroups.lastKeyGroup(i, MAX, parallelism)));
      handles.add(
          new CheckpointMetadata.Handle(
              "file:///cp/chk-1/2_" + i + "_1_sink",
              5,
              2,
              "sink",
              "sink-uid",
              1,
              i,
              parallelism,
              0,
              0));
    }
    handles.add(
        new CheckpointMetadata.Handle(
            "file:///cp/chk-1/9_0_0_keyed", 5, 3, "keyed", "gone-uid", 0, 0, 1, 0, MAX - 1));
    return new CheckpointMetadata(1, "job", 1, 1, 2, false, handles);
  }

  private static List<String> files(List<StateFileHandle> handles) {
    return handles.stream().map(h -> h.path().substring("file:///cp/chk-1/".length())).toList();
  }

  @Test
  void unchangedParallelismGivesEachSubtaskItsOwnState() {
    assertThat(files(StateAssignment.forSubtask(checkpoint(3), vertex(3), 1)))
        .containsExactly("2_1_0_keyed", "2_1_1_sink");
  }

  @Test
  void scalingDownMergesKeyGroupRangesAndHandsAllSinkStates() {
    // 4 -> 2: new subtask 0 holds key groups 0-63, formerly subtasks 0 (0-31) and 1 (32-63)
    assertThat(files(StateAssignment.forSubtask(checkpoint(4), vertex(2), 0)))
        .containsExactly(
            "2_0_0_keyed", "2_1_0_keyed", "2_0_1_sink", "2_1_1_sink", "2_2_1_sink", "2_3_1_sink");
    assertThat(files(StateAssignment.forSubtask(checkpoint(4), vertex(2), 1)))
        .startsWith("2_2_0_keyed", "2_3_0_keyed");
  }

  @Test
  void scalingUpSplitsKeyGroupRanges() {
    // 2 -> 4: subtasks 0 and 1 (0-31, 32-63) both read the old subtask 0's file (0-63)
    assertThat(StateAssignment.forSubtask(checkpoint(2), vertex(4), 1))
        .filteredOn(h -> h.kind().equals("keyed"))
        .extracting(StateFileHandle::subtaskIndex)
        .containsExactly(0);
    assertThat(StateAssignment.forSubtask(checkpoint(2), vertex(4), 3))
        .filteredOn(h -> h.kind().equals("keyed"))
        .extracting(StateFileHandle::subtaskIndex)
        .containsExactly(1);
  }

  @Test
  void stateOfOperatorsNoLongerInTheJobIsNotAssigned() {
    assertThat(StateAssignment.forSubtask(checkpoint(1), vertex(1), 0))
        .extracting(StateFileHandle::operatorUid)
        .doesNotContain("gone-uid");
  }
}
