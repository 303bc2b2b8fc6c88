package io.baton.api.state;

import java.util.List;

/** A list per key; empty until something is added. */
public interface ListState<T> {
  /** A snapshot of the list for the current key (never null). */
  List<T> get();

  void add(T value);

  void update(List<T> values);

  void clear();
}
