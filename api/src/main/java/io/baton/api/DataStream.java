package io.baton.api;

import io.baton.api.connector.Sink;
import io.baton.api.connectors.PrintSink;
import io.baton.api.functions.FilterFunction;
import io.baton.api.functions.FlatMapFunction;
import io.baton.api.functions.KeySelector;
import io.baton.api.functions.MapFunction;
import io.baton.api.functions.UserFunction;
import io.baton.api.graph.OperatorKind;
import io.baton.api.graph.Partitioning;
import java.util.Objects;

/**
 * A stream of records of type {@code T}: the output of a source or an operator, possibly
 * repartitioned. Transformations return new streams; a stream may be consumed more than once (every
 * consumer sees every record).
 *
 * @param <T> record type
 */
public class DataStream<T> {
  final StreamEnvironment environment;
  final StreamNode producer;
  final Partitioning partitioning;

  DataStream(StreamEnvironment environment, StreamNode producer, Partitioning partitioning) {
    this.environment = environment;
    this.producer = producer;
    this.partitioning = partitioning;
  }

  /** Turns each record into exactly one record. */
  public <R> SingleOutputStreamOperator<R> map(MapFunction<T, R> mapper) {
    return transform(OperatorKind.MAP, "Map", mapper);
  }

  /** Turns each record into zero or more records. */
  public <R> SingleOutputStreamOperator<R> flatMap(FlatMapFunction<T, R> flatMapper) {
    return transform(OperatorKind.FLAT_MAP, "Flat Map", flatMapper);
  }

  /** Keeps the records for which the filter returns true. */
  public SingleOutputStreamOperator<T> filter(FilterFunction<T> filter) {
    return transform(OperatorKind.FILTER, "Filter", filter);
  }

  /**
   * Partitions the stream by key: all records with equal keys reach the same parallel instance of
   * the next operator, which sees keyed state for the key of each record.
   */
  public <K> KeyedStream<K, T> keyBy(KeySelector<T, K> keySelector) {
    Objects.requireNonNull(keySelector, "keyBy needs a key selector");
    return new KeyedStream<>(environment, producer, keySelector);
  }

  /** Distributes records round robin over the next operator's parallel instances. */
  public DataStream<T> rebalance() {
    return new DataStream<>(environment, producer, Partitioning.REBALANCE);
  }

  /** Sends every record to every parallel instance of the next operator. */
  public DataStream<T> broadcast() {
    return new DataStream<>(environment, producer, Partitioning.BROADCAST);
  }

  /** Ends the stream in a sink. */
  public DataStreamSink<T> sinkTo(Sink<T> sink) {
    Objects.requireNonNull(sink, "sinkTo needs a sink");
    return new DataStreamSink<>(
        environment.addNode(OperatorKind.SINK, "Sink", sink, null, producer, partitioning));
  }

  /** Prints every record to the TaskManagers' standard output (see {@link PrintSink}). */
  public DataStreamSink<T> print() {
    return sinkTo(new PrintSink<>()).name("Print");
  }

  private <R> SingleOutputStreamOperator<R> transform(
      OperatorKind kind, String defaultName, UserFunction function) {
    Objects.requireNonNull(function, () -> defaultName + " needs a function");
    StreamNode node =
        environment.addNode(kind, defaultName, function, null, producer, partitioning);
    return new SingleOutputStreamOperator<>(environment, node);
  }
}
