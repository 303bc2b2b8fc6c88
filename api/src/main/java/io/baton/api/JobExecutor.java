package io.baton.api;

import io.baton.api.graph.JobGraph;

/**
 * Receives the job graph that a job's {@code main()} builds. Whoever runs a job jar's main (the
 * JobManager when a jar is run through REST or {@code bin/baton run}) installs one with {@link
 * StreamEnvironment#runWithExecutor}.
 */
public interface JobExecutor {

  /**
   * The parallelism of operators that set none ({@code -p} of the CLI, else parallelism.default).
   */
  int defaultParallelism();

  /** Takes the finished graph; called by {@link StreamEnvironment#execute}. */
  void execute(JobGraph graph) throws Exception;
}
