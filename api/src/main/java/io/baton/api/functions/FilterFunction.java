package io.baton.api.functions;

/** Keeps the records for which {@link #filter} returns true. */
@FunctionalInterface
public interface FilterFunction<T> extends UserFunction {
  boolean filter(T value) throws Exception;
}
