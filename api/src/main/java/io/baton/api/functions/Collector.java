package io.baton.api.functions;

/** Where a function emits its output records. */
@FunctionalInterface
public interface Collector<T> {
  void collect(T record);
}
