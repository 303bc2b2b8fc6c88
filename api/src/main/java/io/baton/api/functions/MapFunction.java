package io.baton.api.functions;

/** Turns each record into exactly one record. */
@FunctionalInterface
public interface MapFunction<T, R> extends UserFunction {
  R map(T value) throws Exception;
}
