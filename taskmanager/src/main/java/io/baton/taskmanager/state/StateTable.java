package io.baton.taskmanager.state;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The values of one named state of a keyed operator, per key group and then per key, so a snapshot
 * or a rescale can take whole key groups.
 */
final class StateTable {

  private final String name;
  private final StateKind kind;
  private final KeyGroupRange range;
  // index: keyGroup - range.first(); a key group's map exists only while it holds a key
  private final Map<Object, Object>[] byKeyGroup;

  @SuppressWarnings("unchecked")
  StateTable(String name, StateKind kind, KeyGroupRange range) {
    this.name = name;
    this.kind = kind;
    this.range = range;
    this.byKeyGroup = (Map<Object, Object>[]) new Map<?, ?>[range.size()];
  }

  String name() {
    return name;
  }

  StateKind kind() {
    return kind;
  }

  Object get(int keyGroup, Object key) {
    Map<Object, Object> values = byKeyGroup[keyGroup - range.first()];
    return values == null ? null : values.get(key);
  }

  void put(int keyGroup, Object key, Object value) {
    int slot = keyGroup - range.first();
    Map<Object, Object> values = byKeyGroup[slot];
    if (values == null) {
      values = new HashMap<>();
      byKeyGroup[slot] = values;
    }
    values.put(key, value);
  }

  void remove(int keyGroup, Object key) {
    int slot = keyGroup - range.first();
    Map<Object, Object> values = byKeyGroup[slot];
    if (values != null) {
      values.remove(key);
      if (values.isEmpty()) {
        byKeyGroup[slot] = null;
      }
    }
  }

  /** The keys holding a value in {@code keyGroup}. */
  List<Object> keys(int keyGroup) {
    Map<Object, Object> values = byKeyGroup[keyGroup - range.first()];
    return values == null ? List.of() : new ArrayList<>(values.keySet());
  }

  /** A copy of the key/value pairs of one key group (empty when it holds nothing). */
  Map<Object, Object> entries(int keyGroup) {
    Map<Object, Object> values = byKeyGroup[keyGroup - range.first()];
    return values == null ? Map.of() : new HashMap<>(values);
  }

  int size() {
    int size = 0;
    for (Map<Object, Object> values : byKeyGroup) {
      size += values == null ? 0 : values.size();
    }
    return size;
  }
}
