package io.baton.api;

import io.baton.api.functions.KeySelector;
import io.baton.api.functions.KeyedProcessFunction;
import io.baton.api.graph.OperatorKind;
import io.baton.api.graph.Partitioning;
import java.util.Objects;

/**
 * A stream partitioned by key (see {@link DataStream#keyBy}): the operator applied to it runs once
 * per key group owner and sees keyed state for the key of each record.
 *
 * @param <K> key type
 * @param <T> record type
 */
public final class KeyedStream<K, T> {
  private final StreamEnvironment environment;
  private final StreamNode producer;
  private final KeySelector<T, K> keySelector;

  KeyedStream(StreamEnvironment environment, StreamNode producer, KeySelector<T, K> keySelector) {
    this.environment = environment;
    this.producer = producer;
    this.keySelector = keySelector;
  }

  /** The selector that extracts each record's key. */
  public KeySelector<T, K> getKeySelector() {
    return keySelector;
  }

  /** Processes each record with keyed state for its key. */
  public <R> SingleOutputStreamOperator<R> process(KeyedProcessFunction<K, T, R> function) {
    Objects.requireNonNull(function, "process needs a function");
    StreamNode node =
        environment.addNode(
            OperatorKind.KEYED_PROCESS,
            "KeyedProcess",
            function,
            keySelector,
            producer,
            Partitioning.HASH);
    return new SingleOutputStreamOperator<>(environment, node);
  }
}
