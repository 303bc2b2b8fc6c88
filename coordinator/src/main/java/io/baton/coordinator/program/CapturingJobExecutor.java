package io.baton.coordinator.program;

import io.baton.api.JobExecutor;
import io.baton.api.graph.JobGraph;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The executor a job's main() sees in the {@link JobGraphBuilderMain} child JVM: it keeps the graph
 * and hands it over at once instead of running it. One job per jar run; a second execute() is
 * refused.
 */
final class CapturingJobExecutor implements JobExecutor {
  private final int defaultParallelism;
  private final String mainClass;
  private final HandOver handOver;
  private final AtomicReference<JobGraph> graph = new AtomicReference<>();
  private final AtomicInteger executions = new AtomicInteger();

  /**
   * @param handOver takes the first graph the moment main() executes it, so that a main() that
   *     blocks or exits afterwards has still built its job
   */
  CapturingJobExecutor(int defaultParallelism, String mainClass, HandOver handOver) {
    this.defaultParallelism = defaultParallelism;
    this.mainClass = mainClass;
    this.handOver = handOver;
  }

  @Override
  public int defaultParallelism() {
    return defaultParallelism;
  }

  @Override
  public void execute(JobGraph jobGraph) throws IOException {
    if (executions.incrementAndGet() > 1) {
      throw new IllegalStateException(
          "main() of " + mainClass + " submitted more than one job; one jar runs one job");
    }
    graph.set(jobGraph);
    handOver.accept(jobGraph);
  }

  /** The graph main() handed over, if it did. */
  Optional<JobGraph> graph() {
    return Optional.ofNullable(graph.get());
  }

  /** True when main() called execute() more than once. */
  boolean executedMoreThanOnce() {
    return executions.get() > 1;
  }

  /** Receives the graph main() built. */
  interface HandOver {
    void accept(JobGraph graph) throws IOException;
  }
}
