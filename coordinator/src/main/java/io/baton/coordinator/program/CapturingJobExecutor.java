package io.baton.coordinator.program;

import io.baton.api.JobExecutor;
import io.baton.api.graph.JobGraph;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The executor a job's main() sees while the JobManager extracts its graph: it keeps the graph
 * instead of running it. One job per jar run; a second execute() is refused.
 */
final class CapturingJobExecutor implements JobExecutor {
  private final int defaultParallelism;
  private final String mainClass;
  private final AtomicReference<JobGraph> graph = new AtomicReference<>();
  private final AtomicInteger executions = new AtomicInteger();

  CapturingJobExecutor(int defaultParallelism, String mainClass) {
    this.defaultParallelism = defaultParallelism;
    this.mainClass = mainClass;
  }

  @Override
  public int defaultParallelism() {
    return defaultParallelism;
  }

  @Override
  public void execute(JobGraph jobGraph) {
    if (executions.incrementAndGet() > 1) {
      throw new IllegalStateException(
          "main() of " + mainClass + " submitted more than one job; one jar runs one job");
    }
    graph.set(jobGraph);
  }

  /** The graph main() handed over, if it did. */
  Optional<JobGraph> graph() {
    return Optional.ofNullable(graph.get());
  }

  /** True when main() called execute() more than once. */
  boolean executedMoreThanOnce() {
    return executions.get() > 1;
  }
}
