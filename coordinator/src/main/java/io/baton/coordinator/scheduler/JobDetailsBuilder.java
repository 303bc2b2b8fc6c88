package io.baton.coordinator.scheduler;

import io.baton.api.graph.JobGraph;
import io.baton.api.graph.JobVertex;
import io.baton.common.execution.ExecutionState;
import io.baton.common.execution.TaskIoCounters;
import io.baton.common.ids.JobId;
import io.baton.coordinator.executiongraph.Execution;
import io.baton.coordinator.executiongraph.ExecutionGraph;
import io.baton.coordinator.executiongraph.ExecutionVertex;
import io.baton.coordinator.resourcemanager.AllocatedSlot;
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
  static final List<ExecutionState> TASK_STATES = List.of(ExecutionState.values());

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
    Map<ExecutionState, Integer> jobCounts = emptyCounts();
    List<VertexDetails> vertices = new ArrayList<>();
    for (JobVertex v : jobGraph.vertices()) {
      VertexDetails vd = vertex(v, graph.subtasks(v.id()), inputs(v));
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

  private List<VertexDetails.Input> inputs(JobVertex v) {
    return jobGraph.inputsOf(v.id()).stream()
        .map(e -> new VertexDetails.Input(e.sourceVertexId(), e.partitioning().name()))
        .toList();
  }

  private static VertexDetails vertex(
      JobVertex v, List<ExecutionVertex> subtasks, List<VertexDetails.Input> inputs) {
    Map<ExecutionState, Integer> counts = emptyCounts();
    List<SubtaskDetails> details = new ArrayList<>();
    long start = -1;
    long recordsIn = 0;
    long recordsOut = 0;
    long bytesIn = 0;
    long bytesOut = 0;
    for (ExecutionVertex ev : subtasks) {
      Execution e = ev.current();
      counts.merge(e.state(), 1, Integer::sum);
      long deployed = e.timestamp(ExecutionState.DEPLOYING);
      if (deployed >= 0 && (start < 0 || deployed < start)) {
        start = deployed;
      }
      TaskIoCounters m = e.metrics();
      recordsIn += m.recordsIn();
      recordsOut += m.recordsOut();
      bytesIn += m.bytesIn();
      bytesOut += m.bytesOut();
      AllocatedSlot slot = e.slot();
      details.add(
          new SubtaskDetails(
              ev.subtaskIndex(),
              e.state(),
              e.attempt(),
              slot == null ? null : slot.taskManagerId().toString(),
              slot == null ? null : slot.address().host(),
              m.recordsIn(),
              m.recordsOut(),
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
        List.copyOf(details),
        v.maxParallelism(),
        inputs);
  }

  /** When the execution first reached each state it reached. */
  private static Map<ExecutionState, Long> timestamps(Execution e) {
    Map<ExecutionState, Long> reached = new EnumMap<>(ExecutionState.class);
    for (ExecutionState state : TASK_STATES) {
      long at = e.timestamp(state);
      if (at >= 0) {
        reached.put(state, at);
      }
    }
    return reached;
  }

  /** A vertex's state from its subtasks', the way Flink aggregates them. */
  static ExecutionState aggregate(Map<ExecutionState, Integer> counts, int parallelism) {
    if (counts.get(ExecutionState.FAILED) > 0) {
      return ExecutionState.FAILED;
    }
    if (counts.get(ExecutionState.CANCELING) > 0) {
      return ExecutionState.CANCELING;
    }
    if (counts.get(ExecutionState.CANCELED) > 0) {
      return ExecutionState.CANCELED;
    }
    if (counts.get(ExecutionState.FINISHED) == parallelism) {
      return ExecutionState.FINISHED;
    }
    if (counts.get(ExecutionState.RUNNING) > 0 || counts.get(ExecutionState.FINISHED) > 0) {
      return ExecutionState.RUNNING;
    }
    if (counts.get(ExecutionState.DEPLOYING) > 0) {
      return ExecutionState.DEPLOYING;
    }
    if (counts.get(ExecutionState.SCHEDULED) > 0) {
      return ExecutionState.SCHEDULED;
    }
    return ExecutionState.CREATED;
  }

  static Map<ExecutionState, Integer> emptyCounts() {
    Map<ExecutionState, Integer> counts = new EnumMap<>(ExecutionState.class);
    TASK_STATES.forEach(s -> counts.put(s, 0));
    return counts;
  }
}
