package io.baton.api.state;

import java.util.Map;

/** A map per key; empty until something is put. */
public interface MapState<K, V> {
  V get(K key);

  void put(K key, V value);

  boolean contains(K key);

  void remove(K key);

  /** A snapshot of the entries for the current key. */
  Iterable<Map.Entry<K, V>> entries();

  boolean isEmpty();

  void clear();
}
