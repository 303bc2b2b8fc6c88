package io.baton.coordinator.jobmaster;

import io.baton.api.graph.JobGraph;
import io.baton.api.graph.JobVertex;
import io.baton.common.ids.JobId;
import io.baton.common.rpc.TaskMetrics;
import io.baton.common.rpc.TaskState;
import io.baton.coordinator.resourcemanager.AllocatedSlot;
import io.baton.coordinator.scheduler.Execution;
import io.baton.coordinator.scheduler.ExecutionGraph;
import io.baton.coordinator.scheduler.ExecutionVertex;
import io.baton.coordinator.status.JobDetails;
import io.baton.coordinator.status.JobStatus;
import io.baton.coordinator.status.SubtaskDetails;
import io.baton.coordinator.status.VertexDetails;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Turns a job's execution graph into the {@link JobDetails} REST and the CLI show. */
final class JobDetailsBuilder {
  /** The states a task can be in; every one appears in the counts, 0 where none. */
  static final List<TaskState> TASK_STATES =
      List.of(
          TaskState.CREATED,
          TaskState.SCHEDULED,
          TaskState.DEPLOYING,
          TaskState.RUNNING,
          TaskState.FINISHED,
          TaskState.CANCELING,
          TaskState.CANCELED,
          TaskState.FAILED);

  private final JobId jobId;
  private final JobGraph jobGraph;

  JobDetailsBuilder(JobId jobId, JobGraph jobGraph) {
    this.jobId = jobId;
    this.jobGraph = jobGraph;
  }

  JobDetails build(
      ExecutionGraph graph,
      JobStatus status,
      long startTime,
      long endTime,
      long now,
      String failureCause,
      int restarts,
      long lastModification) {
    Map<TaskState, Integer> jobCounts = emptyCounts();
    List<VertexDetails> vertices = new ArrayList<>();
    for (JobVertex v : jobGraph.vertices()) {
      VertexDetails vd = vertex(v, graph.subtasks(v.id()));
      vd.taskCounts().forEach((state, n) -> jobCounts.merge(state, n, Integer::sum));
      vertices.add(vd);
    }
    long duration = (endTime >= 0 ? endTime : now) - startTime;
    return new JobDetails(
        jobId,
        jobGraph.name(),
        status,
        startTime,
        endTime,
        duration,
        Collections.unmodifiableMap(jobCounts),
        List.copyOf(vertices),
        failureCause,
        restarts,
        lastModification);
  }

  private static VertexDetails vertex(JobVertex v, List<ExecutionVertex> subtasks) {
    Map<TaskState, Integer> counts = emptyCounts();
    List<SubtaskDetails> details = new ArrayList<>();
    long start = -1;
    long recordsIn = 0;
    long recordsOut = 0;
    long bytesIn = 0;
    long bytesOut = 0;
    for (ExecutionVertex ev : subtasks) {
      Execution e = ev.current();
      counts.merge(e.state(), 1, Integer::sum);
      long deployed = e.timestamp(TaskState.DEPLOYING);
      if (deployed >= 0 && (start < 0 || deployed < start)) {
        start = deployed;
      }
      TaskMetrics m = e.metrics();
      recordsIn += m.getRecordsIn();
      recordsOut += m.getRecordsOut();
      bytesIn += m.getBytesIn();
      bytesOut += m.getBytesOut();
      AllocatedSlot slot = e.slot();
      details.add(
          new SubtaskDetails(
              ev.subtaskIndex(),
              e.state(),
              e.attempt(),
              slot == null ? null : slot.taskManagerId().toString(),
              slot == null ? null : slot.address().getHost(),
              m.getRecordsIn(),
              m.getRecordsOut(),
              timestamps(e)));
    }
    return new VertexDetails(
        v.id(),
        v.name(),
        v.parallelism(),
        aggregate(counts, v.parallelism()),
        start,
        Collections.unmodifiableMap(counts),
        recordsIn,
        recordsOut,
        bytesIn,
        bytesOut,
        List.copyOf(details));
  }

  /** When the execution first reached each state it reached. */
  private static Map<TaskState, Long> timestamps(Execution e) {
    Map<TaskState, Long> reached = new EnumMap<>(TaskState.class);
    for (TaskState state : TASK_STATES) {
      long at = e.timestamp(state);
      if (at >= 0) {
        reached.put(state, at);
      }
    }
    return reached;
  }

  /** A vertex's state from its subtasks', the way Flink aggregates them. */
  static TaskState aggregate(Map<TaskState, Integer> counts, int parallelism) {
    if (counts.get(TaskState.FAILED) > 0) {
      return TaskState.FAILED;
    }
    if (counts.get(TaskState.CANCELING) > 0) {
      return TaskState.CANCELING;
    }
    if (counts.get(TaskState.CANCELED) > 0) {
      return TaskState.CANCELED;
    }
    if (counts.get(TaskState.FINISHED) == parallelism) {
      return TaskState.FINISHED;
    }
    if (counts.get(TaskState.RUNNING) > 0 || counts.get(TaskState.FINISHED) > 0) {
      return TaskState.RUNNING;
    }
    if (counts.get(TaskState.DEPLOYING) > 0) {
      return TaskState.DEPLOYING;
    }
    if (counts.get(TaskState.SCHEDULED) > 0) {
      return TaskState.SCHEDULED;
    }
    return TaskState.CREATED;
  }

  static Map<TaskState, Integer> emptyCounts() {
    Map<TaskState, Integer> counts = new EnumMap<>(TaskState.class);
    TASK_STATES.forEach(s -> counts.put(s, 0));
    return counts;
  }
}
