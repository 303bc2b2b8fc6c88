package io.baton.examples;

import io.baton.api.JobExecutor;
import io.baton.api.graph.JobGraph;
import java.util.ArrayList;
import java.util.List;

/** Keeps the graphs a job's main hands over instead of running them. */
final class CapturingExecutor implements JobExecutor {
  final List<JobGraph> graphs = new ArrayList<>();
  private final int defaultParallelism;

  CapturingExecutor(int defaultParallelism) {
    this.defaultParallelism = defaultParallelism;
  }

  @Override
  public int defaultParallelism() {
    return defaultParallelism;
  }

  @Override
  public void execute(JobGraph graph) {
    graphs.add(graph);
  }
}
