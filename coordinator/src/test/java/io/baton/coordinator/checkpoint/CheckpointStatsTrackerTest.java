package io.baton.coordinator.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.common.checkpoint.StateFileHandle;
import io.baton.common.ids.ExecutionId;
import io.baton.coordinator.checkpoint.CheckpointStats.Entry;
import io.baton.coordinator.checkpoint.CheckpointStats.Status;
import io.baton.coordinator.checkpoint.CheckpointStats.SubtaskStats;
import io.baton.coordinator.checkpoint.CheckpointStats.TaskStats;
import io.baton.coordinator.metrics.JobManagerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-vertex and per-subtask figures the checkpoint history keeps for Flink's dashboard. */
class CheckpointStatsTrackerTest {
  private static final long TRIGGER = 1_000_000;

  private final CheckpointStatsTracker tracker =
      new CheckpointStatsTracker(
          new JobManagerMetrics(new SimpleMeterRegistry()).jobMetricGroup("job", "two"));

  // vertex 1 "source" and vertex 2 "sink", two subtasks each
  private final ExecutionId source0 = ExecutionId.random();
  private final ExecutionId source1 = ExecutionId.random();
  private final ExecutionId sink0 = ExecutionId.random();
  private final ExecutionId sink1 = ExecutionId.random();

  private PendingCheckpoint trigger(long id) {
    Map<ExecutionId, PendingCheckpoint.Subtask> executions = new LinkedHashMap<>();
    executions.put(source0, new PendingCheckpoint.Subtask(1, 0));
    executions.put(source1, new PendingCheckpoint.Subtask(1, 1));
    executions.put(sink0, new PendingCheckpoint.Subtask(2, 0));
    executions.put(sink1, new PendingCheckpoint.Subtask(2, 1));
    PendingCheckpoint p =
        new PendingCheckpoint(
            id, TRIGGER, URI.create("file:///checkpoints/chk-" + id), false, executions);
    tracker.triggered(p);
    return p;
  }

  private static List<StateFileHandle> files(long... sizes) {
    return java.util.Arrays.stream(sizes)
        .mapToObj(size -> new StateFileHandle("file:///s/" + size, size, 0, 0, 0, 0, "", "", 0, 1))
        .toList();
  }

  private Entry entry(long id) {
    return tracker.snapshot().history().stream().filter(e -> e.id() == id).findFirst().get();
  }

  @Test
  void aPendingCheckpointShowsWhichSubtasksOfEachVertexAcknowledgedSoFar() {
    PendingCheckpoint p = trigger(5);
    p.acknowledge(source1, files(100, 20), TRIGGER + 30);
    p.acknowledge(sink0, files(7), TRIGGER + 50);

    Entry e = entry(5);
    assertThat(e.status()).isEqualTo(Status.IN_PROGRESS);
    assertThat(e.numAcknowledgedSubtasks()).isEqualTo(2);
    assertThat(e.tasks()).extracting(TaskStats::vertexId).containsExactly(1, 2);
    TaskStats source = e.tasks().get(0);
    assertThat(source.numSubtasks()).isEqualTo(2);
    assertThat(source.numAcknowledgedSubtasks()).isEqualTo(1);
    assertThat(source.subtasks())
        .containsExactly(
            new SubtaskStats(0, false, -1, 0, -1),
            new SubtaskStats(1, true, TRIGGER + 30, 120, 30));
    assertThat(source.latestAckTimestamp()).isEqualTo(TRIGGER + 30);
    assertThat(source.stateSize()).isEqualTo(120);
    assertThat(source.endToEndDuration()).isEqualTo(30);
    TaskStats sink = e.tasks().get(1);
    assertThat(sink.numAcknowledgedSubtasks()).isEqualTo(1);
    assertThat(sink.stateSize()).isEqualTo(7);
  }

  @Test
  void aCompletedCheckpointKeepsEverySubtasksAckTimeSizeAndDuration() {
    PendingCheckpoint p = trigger(6);
    p.acknowledge(source0, files(10), TRIGGER + 10);
    p.acknowledge(source1, files(11), TRIGGER + 12);
    p.acknowledge(sink0, files(300), TRIGGER + 40);
    // a subtask that finished instead acknowledges with no state
    p.acknowledge(sink1, List.of(), TRIGGER + 45);
    tracker.completed(p, TRIGGER + 60);

    Entry e = entry(6);
    assertThat(e.status()).isEqualTo(Status.COMPLETED);
    TaskStats sink = e.tasks().get(1);
    assertThat(sink.subtasks())
        .containsExactly(
            new SubtaskStats(0, true, TRIGGER + 40, 300, 40),
            new SubtaskStats(1, true, TRIGGER + 45, 0, 45));
    assertThat(sink.numAcknowledgedSubtasks()).isEqualTo(2);
    assertThat(sink.endToEndDuration()).isEqualTo(45);
    assertThat(e.tasks().get(0).stateSize()).isEqualTo(21);
    assertThat(e.tasks().stream().mapToLong(TaskStats::stateSize).sum()).isEqualTo(e.stateSize());
  }

  @Test
  void aFailedCheckpointKeepsTheAcknowledgementsItGot() {
    PendingCheckpoint p = trigger(7);
    p.acknowledge(source0, files(10), TRIGGER + 10);
    tracker.failed(p, TRIGGER + 100, "expired");

    Entry e = entry(7);
    assertThat(e.status()).isEqualTo(Status.FAILED);
    assertThat(e.tasks())
        .extracting(TaskStats::numAcknowledgedSubtasks, TaskStats::numSubtasks)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, 2), org.assertj.core.groups.Tuple.tuple(0, 2));
  }

  @Test
  void perSubtaskFiguresAreKeptOnlyForTheNewestCheckpointsOfTheHistory() {
    for (long id = 1; id <= 15; id++) {
      PendingCheckpoint p = trigger(id);
      if (id != 15) {
        p.acknowledge(source0, files(1), TRIGGER + 1);
        tracker.failed(p, TRIGGER + 2, "declined");
      }
    }
    CheckpointStats stats = tracker.snapshot();
    assertThat(stats.history())
        .extracting(Entry::id)
        .containsExactly(15L, 14L, 13L, 12L, 11L, 10L, 9L, 8L, 7L, 6L);
    assertThat(stats.history().get(0).status()).isEqualTo(Status.IN_PROGRESS);
    assertThat(stats.history().get(0).tasks()).hasSize(2);
  }
}
