package io.baton.coordinator.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.common.execution.ExecutionState;
import io.baton.coordinator.checkpoint.CheckpointStats.Entry;
import io.baton.coordinator.checkpoint.CheckpointStats.Status;
import io.baton.coordinator.checkpoint.CheckpointStats.SubtaskStats;
import io.baton.coordinator.checkpoint.CheckpointStats.TaskStats;
import io.baton.coordinator.status.VertexDetails;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A checkpoint's part per vertex and subtask in Flink's shapes, with Baton's figures. */
class CheckpointDetailBodiesTest {
  private static final long TRIGGER = 5_000;

  private static final VertexDetails COUNT =
      new VertexDetails(
          2,
          "count",
          3,
          ExecutionState.RUNNING,
          0,
          Map.of(ExecutionState.RUNNING, 3),
          0,
          0,
          0,
          0,
          List.of(),
          64,
          List.of());

  private static Entry entry(Status status, List<TaskStats> tasks) {
    return new Entry(
        9,
        status,
        false,
        TRIGGER,
        TRIGGER + 70,
        60,
        70,
        "file:///c/chk-9",
        3,
        2,
        null,
        null,
        tasks);
  }

  @Test
  void aPendingCheckpointsVertexCountsItsAcknowledgedSubtasksAndListsTheOthersAsPending() {
    TaskStats count =
        new TaskStats(
            2,
            List.of(
                new SubtaskStats(0, true, TRIGGER + 20, 10, 20),
                new SubtaskStats(1, false, -1, 0, -1),
                new SubtaskStats(2, true, TRIGGER + 70, 50, 70)));
    Entry e = entry(Status.IN_PROGRESS, List.of(count));

    Map<String, Object> task =
        CheckpointDetailBodies.task(e, CheckpointDetailBodies.taskOf(e, COUNT));
    assertThat(task)
        .containsEntry("id", 9L)
        .containsEntry("status", "IN_PROGRESS")
        .containsEntry("latest_ack_timestamp", TRIGGER + 70)
        .containsEntry("state_size", 60L)
        .containsEntry("checkpointed_size", 60L)
        .containsEntry("end_to_end_duration", 70L)
        .containsEntry("num_subtasks", 3)
        .containsEntry("num_acknowledged_subtasks", 2)
        .containsEntry("processed_data", 0L);

    Map<String, Object> details = CheckpointDetailBodies.taskWithSubtasks(e, count);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> subtasks = (List<Map<String, Object>>) details.get("subtasks");
    assertThat(subtasks.get(1)).isEqualTo(Map.of("index", 1, "status", "pending_or_failed"));
    assertThat(subtasks.get(2))
        .containsEntry("status", "completed")
        .containsEntry("ack_timestamp", TRIGGER + 70)
        .containsEntry("end_to_end_duration", 70L)
        .containsEntry("state_size", 50L)
        .containsEntry("aborted", false);
    @SuppressWarnings("unchecked")
    Map<String, Object> summary = (Map<String, Object>) details.get("summary");
    // over the two subtasks that acknowledged
    assertThat(summary.get("state_size"))
        .isEqualTo(
            Map.of(
                "min", 10L, "max", 50L, "avg", 30L, "p50", 10.0, "p90", 50.0, "p95", 50.0, "p99",
                50.0, "p999", 50.0));
    assertThat(map(summary.get("end_to_end_duration"))).containsEntry("max", 70L);
  }

  @Test
  void aCheckpointOfAnEarlierLeaderShowsEverySubtaskAcknowledgedAtTimesNotKnown() {
    Entry adopted = entry(Status.COMPLETED, List.of());

    TaskStats count = CheckpointDetailBodies.taskOf(adopted, COUNT);
    assertThat(CheckpointDetailBodies.task(adopted, count))
        .containsEntry("num_subtasks", 3)
        .containsEntry("num_acknowledged_subtasks", 3)
        .containsEntry("latest_ack_timestamp", -1L)
        .containsEntry("end_to_end_duration", -1L);
  }

  @Test
  void aVertexThatTookNoPartHasNoSubtasksAndAnEmptySummary() {
    Entry e = entry(Status.FAILED, List.of(new TaskStats(1, List.of())));

    Map<String, Object> details =
        CheckpointDetailBodies.taskWithSubtasks(e, CheckpointDetailBodies.taskOf(e, COUNT));
    assertThat(details).containsEntry("num_subtasks", 0).containsEntry("subtasks", List.of());
    assertThat(map(map(details.get("summary")).get("state_size")))
        .containsEntry("max", 0L)
        .containsEntry("p99", 0.0);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }
}
