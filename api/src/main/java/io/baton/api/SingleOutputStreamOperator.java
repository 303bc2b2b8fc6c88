package io.baton.api;

import io.baton.api.graph.Partitioning;

/**
 * The output of a source or an operator: a {@link DataStream} whose operator can still be named and
 * configured.
 *
 * @param <T> record type
 */
public final class SingleOutputStreamOperator<T> extends DataStream<T> {

  SingleOutputStreamOperator(StreamEnvironment environment, StreamNode node) {
    super(environment, node, Partitioning.FORWARD);
  }

  /** The operator's name, shown in logs and the REST API. */
  public SingleOutputStreamOperator<T> name(String name) {
    producer.name = OperatorSettings.checkName(name);
    return this;
  }

  /**
   * A stable id for the operator: its state in checkpoints is found by it, so set it on stateful
   * operators whose job may change between versions. Unique within the job. Without one, the
   * operator gets {@code auto-<hash>} from its position in the job: its input's uid, its kind and
   * its place among its input's consumers.
   */
  public SingleOutputStreamOperator<T> uid(String uid) {
    producer.uid = OperatorSettings.checkUid(uid);
    return this;
  }

  /** Parallel instances of this operator; the environment's parallelism if not set. */
  public SingleOutputStreamOperator<T> setParallelism(int parallelism) {
    producer.parallelism = OperatorSettings.checkParallelism(parallelism, producer);
    return this;
  }

  /** Keeps this operator out of chains: it runs in a task of its own. */
  public SingleOutputStreamOperator<T> disableChaining() {
    producer.chainingDisabled = true;
    return this;
  }
}
