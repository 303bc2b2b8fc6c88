package io.baton.api;

import io.baton.api.connector.Source;
import io.baton.api.functions.KeySelector;
import io.baton.api.graph.JobGraph;
import io.baton.api.graph.OperatorKind;
import io.baton.api.graph.Partitioning;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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

  /** The config key {@link #enableCheckpointing} sets. */
  public static final String CHECKPOINTING_INTERVAL_KEY = "execution.checkpointing.interval";

  /**
   * The fewest key groups an operator gets unless {@link #setMaxParallelism} says otherwise; as in
   * Flink, operators with a higher parallelism get 1.5 times their parallelism rounded up to a
   * power of two.
   */
  public static final int DEFAULT_MAX_PARALLELISM = 128;

  /** The most key groups an operator may have. */
  public static final int UPPER_BOUND_MAX_PARALLELISM = 1 << 15;

  private final JobExecutor executor;
  private final List<StreamNode> nodes = new ArrayList<>();
  private final Map<String, String> config = new LinkedHashMap<>();
  private int parallelism = -1; // -1: the executor's default
  private int maxParallelism = -1; // -1: derived from each operator's parallelism

  private StreamEnvironment(JobExecutor executor) {
    this.executor = Objects.requireNonNull(executor, "executor");
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

  /** The parallelism of operators that set none. */
  public StreamEnvironment setParallelism(int parallelism) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, not " + parallelism);
    }
    this.parallelism = parallelism;
    return this;
  }

  /** The parallelism of operators that set none: as set, else the executor's default. */
  public int getParallelism() {
    return parallelism > 0 ? parallelism : executor.defaultParallelism();
  }

  /**
   * The number of key groups, the upper bound for each operator's parallelism and for rescaling.
   * Default: {@value #DEFAULT_MAX_PARALLELISM}, or 1.5 times an operator's parallelism rounded up
   * to a power of two when that is more.
   */
  public StreamEnvironment setMaxParallelism(int maxParallelism) {
    if (maxParallelism < 1 || maxParallelism > UPPER_BOUND_MAX_PARALLELISM) {
      throw new IllegalArgumentException(
          "max parallelism must be between 1 and "
              + UPPER_BOUND_MAX_PARALLELISM
              + ", not "
              + maxParallelism);
    }
    this.maxParallelism = maxParallelism;
    return this;
  }

  /** The max parallelism set with {@link #setMaxParallelism}, or -1 when derived per operator. */
  public int getMaxParallelism() {
    return maxParallelism;
  }

  /** Takes a checkpoint every {@code interval} (sets {@value #CHECKPOINTING_INTERVAL_KEY}). */
  public StreamEnvironment enableCheckpointing(Duration interval) {
    if (interval == null || interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("checkpoint interval must be positive, not " + interval);
    }
    return setConfig(CHECKPOINTING_INTERVAL_KEY, interval.toMillis() + " ms");
  }

  /** A per-job setting that overrides the cluster's configuration for this job. */
  public StreamEnvironment setConfig(String key, String value) {
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException("a config key must not be blank");
    }
    Objects.requireNonNull(value, () -> "value of config key '" + key + "'");
    config.put(key, value);
    return this;
  }

  /** The per-job settings set so far. */
  public Map<String, String> getConfig() {
    return Map.copyOf(config);
  }

  /** A stream of the records a source reads; {@code name} names the source operator. */
  public <T> SingleOutputStreamOperator<T> fromSource(Source<T> source, String name) {
    Objects.requireNonNull(source, "fromSource needs a source");
    StreamNode node =
        addNode(
            OperatorKind.SOURCE,
            OperatorSettings.checkName(name),
            source,
            null,
            null,
            Partitioning.FORWARD);
    return new SingleOutputStreamOperator<>(this, node);
  }

  StreamNode addNode(
      OperatorKind kind,
      String name,
      Serializable function,
      KeySelector<?, ?> keySelector,
      StreamNode input,
      Partitioning inputPartitioning) {
    StreamNode node = new StreamNode(kind, name, function, keySelector, input, inputPartitioning);
    nodes.add(node);
    return node;
  }

  /** Builds the job graph of everything defined so far and hands it to the executor. */
  public void execute(String jobName) throws Exception {
    executor.execute(buildJobGraph(jobName));
  }

  /** Hands a hand-built graph (see {@link JobGraph#builder}) to the executor. */
  public void executeGraph(JobGraph graph) throws Exception {
    executor.execute(graph);
  }

  /**
   * The job graph of everything defined so far, chained and with parallelism resolved.
   *
   * @throws IllegalStateException when nothing is defined, two operators share a uid, or the graph
   *     cannot run (e.g. a parallelism above the max parallelism), with one line saying so
   */
  public JobGraph buildJobGraph(String jobName) {
    if (jobName == null || jobName.isBlank()) {
      throw new IllegalArgumentException("a job name must not be blank");
    }
    return new JobGraphGenerator(List.copyOf(nodes), getParallelism(), maxParallelism)
        .generate(jobName, config);
  }
}
