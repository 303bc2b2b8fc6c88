package io.baton.coordinator.executiongraph;

import io.baton.api.graph.JobVertex;

/** One subtask of a vertex; holds the current {@link Execution} attempt. */
public final class ExecutionVertex {
  private final JobVertex jobVertex;
  private final int subtaskIndex;
  private Execution current;

  ExecutionVertex(JobVertex jobVertex, int subtaskIndex) {
    this.jobVertex = jobVertex;
    this.subtaskIndex = subtaskIndex;
  }

  public JobVertex jobVertex() {
    return jobVertex;
  }

  public int subtaskIndex() {
    return subtaskIndex;
  }

  public Execution current() {
    return current;
  }

  void setCurrent(Execution execution) {
    this.current = execution;
  }

  /** "name (i+1/p)", as Flink names subtasks. */
  public String describe() {
    return jobVertex.name() + " (" + (subtaskIndex + 1) + "/" + jobVertex.parallelism() + ")";
  }
}
