package io.baton.api;

import io.baton.api.functions.KeySelector;
import io.baton.api.graph.OperatorKind;
import io.baton.api.graph.Partitioning;
import java.io.Serializable;
import java.util.Objects;

/**
 * One operator the job author defined, before chaining: what it does, how it is configured and how
 * its input reaches it. The {@link StreamEnvironment} keeps these in creation order and turns them
 * into job vertices.
 */
final class StreamNode {
  final OperatorKind kind;
  final Serializable function;
  final KeySelector<?, ?> keySelector;

  /** Null for sources. */
  final StreamNode input;

  /** How records travel from {@link #input}; FORWARD unless the author repartitioned. */
  final Partitioning inputPartitioning;

  String name;
  String uid;
  int parallelism = -1; // -1: the environment's parallelism
  boolean chainingDisabled;

  StreamNode(
      OperatorKind kind,
      String name,
      Serializable function,
      KeySelector<?, ?> keySelector,
      StreamNode input,
      Partitioning inputPartitioning) {
    this.kind = kind;
    this.name = name;
    this.function = Objects.requireNonNull(function, () -> "the function of '" + name + "'");
    this.keySelector = keySelector;
    this.input = input;
    this.inputPartitioning = inputPartitioning;
  }

  int parallelismOr(int defaultParallelism) {
    return parallelism > 0 ? parallelism : defaultParallelism;
  }

  @Override
  public String toString() {
    return "'" + name + "' (" + kind + ")";
  }
}
