package io.baton.api.functions;

/** Turns each record into zero or more records. */
@FunctionalInterface
public interface FlatMapFunction<T, R> extends UserFunction {
  void flatMap(T value, Collector<R> out) throws Exception;
}
