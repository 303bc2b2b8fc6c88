package io.baton.taskmanager.state;

import io.baton.api.state.ListState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A {@link ListState} on the heap; an empty list takes no room. Null elements are refused. */
final class HeapListState<T> implements ListState<T> {
  private final StateTable table;
  private final HeapKeyedStateBackend backend;

  HeapListState(StateTable table, HeapKeyedStateBackend backend) {
    this.table = table;
    this.backend = backend;
  }

  @Override
  public List<T> get() {
    List<T> values = current(backend.currentKeyGroup(table));
    return values == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(values));
  }

  @Override
  public void add(T value) {
    requireElement(value);
    int keyGroup = backend.currentKeyGroup(table);
    List<T> values = current(keyGroup);
    if (values == null) {
      values = new ArrayList<>();
      table.put(keyGroup, backend.currentKeyUnchecked(), values);
    }
    values.add(value);
  }

  @Override
  public void update(List<T> values) {
    int keyGroup = backend.currentKeyGroup(table);
    if (values == null || values.isEmpty()) {
      table.remove(keyGroup, backend.currentKeyUnchecked());
      return;
    }
    values.forEach(this::requireElement);
    table.put(keyGroup, backend.currentKeyUnchecked(), new ArrayList<>(values));
  }

  @Override
  public void clear() {
    table.remove(backend.currentKeyGroup(table), backend.currentKeyUnchecked());
  }

  @SuppressWarnings("unchecked")
  private List<T> current(int keyGroup) {
    return (List<T>) table.get(keyGroup, backend.currentKeyUnchecked());
  }

  private void requireElement(T value) {
    if (value == null) {
      throw new NullPointerException("ListState '" + table.name() + "' cannot hold null");
    }
  }
}
