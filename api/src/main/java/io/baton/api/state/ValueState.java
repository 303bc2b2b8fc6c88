package io.baton.api.state;

/** One value per key; {@code null} until first updated. */
public interface ValueState<T> {
  T value();

  void update(T value);

  void clear();
}
