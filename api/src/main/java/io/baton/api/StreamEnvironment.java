package io.baton.api;

import io.baton.api.graph.JobGraph;
import java.util.concurrent.Callable;

/**
 * Where a job starts: a job's {@code main()} asks for the environment, builds its dataflow from
 * sources, and calls {@link #execute}.
 *
 * <pre>{@code
 * StreamEnvironment env = StreamEnvironment.getEnvironment();
 * env.fromSource(new GeneratorSource<>(...), "events")
 *    .keyBy(e -> e.key())
 *    .process(new RunningSum())
 *    .sinkTo(new FileSink<>(output));
 * env.execute("ledger");
 * }</pre>
 */
public final class StreamEnvironment {

  // Scoped, not global: set only while a submitter runs a main(), inherited by threads it starts.
  private static final InheritableThreadLocal<JobExecutor> CONTEXT = new InheritableThreadLocal<>();

  private final JobExecutor executor;

  private StreamEnvironment(JobExecutor executor) {
    this.executor = executor;
  }

  /**
   * The environment of the submission that runs this {@code main()}.
   *
   * @throws IllegalStateException when main() was not started by a Baton submission
   */
  public static StreamEnvironment getEnvironment() {
    JobExecutor executor = CONTEXT.get();
    if (executor == null) {
      throw new IllegalStateException(
          "no Baton cluster to run on: submit this job with 'bin/baton run <jar>'");
    }
    return new StreamEnvironment(executor);
  }

  /** An environment that hands the graph to the given executor (tests, embedded use). */
  public static StreamEnvironment withExecutor(JobExecutor executor) {
    return new StreamEnvironment(executor);
  }

  /** Runs {@code body} (a job's main) with {@code executor} as the environment's target. */
  public static <T> T runWithExecutor(JobExecutor executor, Callable<T> body) throws Exception {
    JobExecutor previous = CONTEXT.get();
    CONTEXT.set(executor);
    try {
      return body.call();
    } finally {
      if (previous == null) {
        CONTEXT.remove();
      } else {
        CONTEXT.set(previous);
      }
    }
  }

  /** Builds the job graph of everything defined so far and hands it to the executor. */
  public void execute(String jobName) throws Exception {
    executor.execute(buildJobGraph(jobName));
  }

  /** Hands a hand-built graph (see {@link JobGraph#builder}) to the executor. */
  public void executeGraph(JobGraph graph) throws Exception {
    executor.execute(graph);
  }

  /** The job graph of everything defined so far, chained and with parallelism resolved. */
  public JobGraph buildJobGraph(String jobName) {
    throw new UnsupportedOperationException("builder: see DataStream");
  }
}
