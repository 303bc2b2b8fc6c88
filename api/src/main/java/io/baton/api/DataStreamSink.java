package io.baton.api;

/**
 * The end of a stream in a sink; lets the sink be named and configured.
 *
 * @param <T> record type
 */
public final class DataStreamSink<T> {
  private final StreamNode node;

  DataStreamSink(StreamNode node) {
    this.node = node;
  }

  /** The sink's name, shown in logs and the REST API. */
  public DataStreamSink<T> name(String name) {
    node.name = OperatorSettings.checkName(name);
    return this;
  }

  /** A stable id for the sink, unique within the job; names its state in checkpoints. */
  public DataStreamSink<T> uid(String uid) {
    node.uid = OperatorSettings.checkUid(uid);
    return this;
  }

  /** Parallel instances of the sink; the environment's parallelism if not set. */
  public DataStreamSink<T> setParallelism(int parallelism) {
    node.parallelism = OperatorSettings.checkParallelism(parallelism, node);
    return this;
  }

  /** Keeps the sink out of chains: it runs in a task of its own. */
  public DataStreamSink<T> disableChaining() {
    node.chainingDisabled = true;
    return this;
  }
}
