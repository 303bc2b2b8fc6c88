package io.baton.taskmanager.state;

import io.baton.api.state.MapState;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A {@link MapState} on the heap; an empty map takes no room. */
final class HeapMapState<K, V> implements MapState<K, V> {
  private final StateTable table;
  private final HeapKeyedStateBackend backend;

  HeapMapState(StateTable table, HeapKeyedStateBackend backend) {
    this.table = table;
    this.backend = backend;
  }

  @Override
  public V get(K key) {
    Map<K, V> map = current(backend.currentKeyGroup(table));
    return map == null ? null : map.get(key);
  }

  @Override
  public void put(K key, V value) {
    int keyGroup = backend.currentKeyGroup(table);
    Map<K, V> map = current(keyGroup);
    if (map == null) {
      map = new HashMap<>();
      table.put(keyGroup, backend.currentKeyUnchecked(), map);
    }
    map.put(key, value);
  }

  @Override
  public boolean contains(K key) {
    Map<K, V> map = current(backend.currentKeyGroup(table));
    return map != null && map.containsKey(key);
  }

  @Override
  public void remove(K key) {
    int keyGroup = backend.currentKeyGroup(table);
    Map<K, V> map = current(keyGroup);
    if (map != null) {
      map.remove(key);
      if (map.isEmpty()) {
        table.remove(keyGroup, backend.currentKeyUnchecked());
      }
    }
  }

  @Override
  public Iterable<Map.Entry<K, V>> entries() {
    Map<K, V> map = current(backend.currentKeyGroup(table));
    if (map == null) {
      return List.of();
    }
    List<Map.Entry<K, V>> entries = new ArrayList<>(map.size());
    map.forEach((k, v) -> entries.add(new AbstractMap.SimpleImmutableEntry<>(k, v)));
    return entries;
  }

  @Override
  public boolean isEmpty() {
    Map<K, V> map = current(backend.currentKeyGroup(table));
    return map == null || map.isEmpty();
  }

  @Override
  public void clear() {
    table.remove(backend.currentKeyGroup(table), backend.currentKeyUnchecked());
  }

  @SuppressWarnings("unchecked")
  private Map<K, V> current(int keyGroup) {
    return (Map<K, V>) table.get(keyGroup, backend.currentKeyUnchecked());
  }
}
