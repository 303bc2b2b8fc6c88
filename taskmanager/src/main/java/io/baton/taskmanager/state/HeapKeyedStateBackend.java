package io.baton.taskmanager.state;

import io.baton.api.functions.KeyedProcessFunction.KeyVisitor;
import io.baton.api.state.ListState;
import io.baton.api.state.ListStateDescriptor;
import io.baton.api.state.MapState;
import io.baton.api.state.MapStateDescriptor;
import io.baton.api.state.StateDescriptor;
import io.baton.api.state.ValueState;
import io.baton.api.state.ValueStateDescriptor;
import io.baton.common.state.KeyGroups;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The keyed state of one subtask of one keyed operator, on the heap: for each named state, the
 * values per key group and key. The operator sets the current key before each record; the state
 * handles act on it. The backend owns only the key groups of its subtask and refuses other keys,
 * since such a key means the records were partitioned wrong. Used only by the task's thread.
 */
public final class HeapKeyedStateBackend {

  private final String operatorName;
  private final int maxParallelism;
  private final KeyGroupRange keyGroupRange;
  private final Map<String, StateTable> tables = new LinkedHashMap<>();
  private final Map<String, Object> handles = new LinkedHashMap<>();

  private Object currentKey;
  private int currentKeyGroup = -1;

  public HeapKeyedStateBackend(
      String operatorName, int maxParallelism, KeyGroupRange keyGroupRange) {
    this.operatorName = Objects.requireNonNull(operatorName, "operatorName");
    this.maxParallelism = maxParallelism;
    this.keyGroupRange = Objects.requireNonNull(keyGroupRange, "keyGroupRange");
    if (keyGroupRange.first() < 0 || keyGroupRange.last() >= maxParallelism) {
      throw new IllegalArgumentException(
          "key groups " + keyGroupRange + " outside 0.." + (maxParallelism - 1));
    }
  }

  /** The backend of {@code subtaskIndex} of a keyed operator with the given parallelism. */
  public static HeapKeyedStateBackend forSubtask(
      String operatorName, int subtaskIndex, int parallelism, int maxParallelism) {
    return new HeapKeyedStateBackend(
        operatorName,
        maxParallelism,
        KeyGroupRange.forSubtask(subtaskIndex, parallelism, maxParallelism));
  }

  public KeyGroupRange keyGroupRange() {
    return keyGroupRange;
  }

  public int maxParallelism() {
    return maxParallelism;
  }

  /**
   * Makes {@code key} the key the state handles act on.
   *
   * @throws IllegalStateException when the key belongs to a key group of another subtask
   */
  public void setCurrentKey(Object key) {
    if (key == null) {
      throw new NullPointerException(
          "the key selector of operator '" + operatorName + "' returned null; keys must be set");
    }
    int keyGroup = KeyGroups.keyGroupFor(key, maxParallelism);
    if (!keyGroupRange.contains(keyGroup)) {
      throw new IllegalStateException(
          "key '"
              + key
              + "' belongs to key group "
              + keyGroup
              + ", outside the key groups "
              + keyGroupRange
              + " of this subtask of operator '"
              + operatorName
              + "': the records were partitioned to the wrong subtask");
    }
    currentKey = key;
    currentKeyGroup = keyGroup;
  }

  /** The current key, or null before the first record. */
  public Object currentKey() {
    return currentKey;
  }

  public <T> ValueState<T> getValueState(ValueStateDescriptor<T> descriptor) {
    return handle(descriptor, StateKind.VALUE, table -> new HeapValueState<T>(table, this));
  }

  public <T> ListState<T> getListState(ListStateDescriptor<T> descriptor) {
    return handle(descriptor, StateKind.LIST, table -> new HeapListState<T>(table, this));
  }

  public <K, V> MapState<K, V> getMapState(MapStateDescriptor<K, V> descriptor) {
    return handle(descriptor, StateKind.MAP, table -> new HeapMapState<K, V>(table, this));
  }

  /** Every key that holds some state, in key group order. */
  public Set<Object> keys() {
    Set<Object> keys = new LinkedHashSet<>();
    for (int keyGroup = keyGroupRange.first(); keyGroup <= keyGroupRange.last(); keyGroup++) {
      for (StateTable table : tables.values()) {
        keys.addAll(table.keys(keyGroup));
      }
    }
    return keys;
  }

  /**
   * Calls {@code visitor} once per key that holds state, with that key as the current key. The keys
   * are taken before the first visit, so the visitor may change or clear state as it goes.
   */
  @SuppressWarnings("unchecked")
  public <K> void forEachKey(KeyVisitor<K> visitor) throws Exception {
    List<Object> keys = new ArrayList<>(keys());
    try {
      for (Object key : keys) {
        setCurrentKey(key);
        visitor.visit((K) key);
      }
    } finally {
      currentKey = null;
      currentKeyGroup = -1;
    }
  }

  /** The names of the registered states. */
  public Set<String> stateNames() {
    return Collections.unmodifiableSet(tables.keySet());
  }

  /**
   * A copy of one state's values in one key group, key to value (for snapshots; list and map values
   * are the backend's own collections and must not be changed).
   */
  public Map<Object, Object> entries(String stateName, int keyGroup) {
    StateTable table = tables.get(stateName);
    if (table == null || !keyGroupRange.contains(keyGroup)) {
      return Map.of();
    }
    return table.entries(keyGroup);
  }

  /** Number of keys holding a value of the named state. */
  public int size(String stateName) {
    StateTable table = tables.get(stateName);
    return table == null ? 0 : table.size();
  }

  /**
   * Cuts a snapshot of every state: a copy of the values per key group, so processing may go on
   * while the copy is written. List and map values are copied; their elements are shared.
   */
  public KeyedStateSnapshot snapshot() {
    List<KeyedStateSnapshot.StateCopy> copies = new ArrayList<>();
    for (StateTable table : tables.values()) {
      Map<Integer, Map<Object, Object>> byKeyGroup = new LinkedHashMap<>();
      for (int keyGroup = keyGroupRange.first(); keyGroup <= keyGroupRange.last(); keyGroup++) {
        Map<Object, Object> entries = table.entries(keyGroup);
        if (entries.isEmpty()) {
          continue;
        }
        if (table.kind() != StateKind.VALUE) { // values are shared as they are: no pass needed
          entries.replaceAll((key, value) -> copyOf(table.kind(), value));
        }
        byKeyGroup.put(keyGroup, entries);
      }
      copies.add(new KeyedStateSnapshot.StateCopy(table.name(), table.kind(), byKeyGroup));
    }
    return new KeyedStateSnapshot(operatorName, maxParallelism, keyGroupRange, copies);
  }

  /**
   * Puts back one value of a snapshot (restore, before the operator opens).
   *
   * @throws IllegalStateException when the key group is not this subtask's or the state exists with
   *     another kind
   */
  void restoreEntry(String stateName, StateKind kind, int keyGroup, Object key, Object value) {
    if (!keyGroupRange.contains(keyGroup)) {
      throw new IllegalStateException(
          "key group " + keyGroup + " is outside " + keyGroupRange + " of '" + operatorName + "'");
    }
    StateTable table =
        tables.computeIfAbsent(stateName, n -> new StateTable(n, kind, keyGroupRange));
    if (table.kind() != kind) {
      throw new IllegalStateException(
          "state '"
              + stateName
              + "' of operator '"
              + operatorName
              + "' is restored as a "
              + kind.typeName()
              + " but exists as a "
              + table.kind().typeName());
    }
    table.put(keyGroup, key, value);
  }

  @SuppressWarnings("unchecked")
  private static Object copyOf(StateKind kind, Object value) {
    return switch (kind) {
      case VALUE -> value;
      case LIST -> new ArrayList<>((List<Object>) value);
      case MAP -> new HashMap<>((Map<Object, Object>) value);
    };
  }

  /** The current key group; fails when no key is set. */
  int currentKeyGroup(StateTable table) {
    if (currentKey == null) {
      throw new IllegalStateException(
          table.kind().typeName()
              + " '"
              + table.name()
              + "' of operator '"
              + operatorName
              + "' has no current key: keyed state can be used only while a record is processed");
    }
    return currentKeyGroup;
  }

  Object currentKeyUnchecked() {
    return currentKey;
  }

  @SuppressWarnings("unchecked")
  private <H> H handle(StateDescriptor descriptor, StateKind kind, Function<StateTable, H> make) {
    String name = descriptor.getName();
    StateTable table = tables.get(name);
    if (table == null) {
      table = new StateTable(name, kind, keyGroupRange);
      tables.put(name, table);
    } else if (table.kind() != kind) {
      throw new IllegalStateException(
          "state '"
              + name
              + "' of operator '"
              + operatorName
              + "' is a "
              + table.kind().typeName()
              + " and cannot be used as a "
              + kind.typeName());
    }
    return (H) handles.computeIfAbsent(name, n -> make.apply(tables.get(n)));
  }
}
