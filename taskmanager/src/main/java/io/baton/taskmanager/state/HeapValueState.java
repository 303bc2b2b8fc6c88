package io.baton.taskmanager.state;

import io.baton.api.state.ValueState;

/** A {@link ValueState} on the heap; updating to null clears it. */
final class HeapValueState<T> implements ValueState<T> {
  private final StateTable table;
  private final HeapKeyedStateBackend backend;

  HeapValueState(StateTable table, HeapKeyedStateBackend backend) {
    this.table = table;
    this.backend = backend;
  }

  @Override
  @SuppressWarnings("unchecked")
  public T value() {
    return (T) table.get(backend.currentKeyGroup(table), backend.currentKeyUnchecked());
  }

  @Override
  public void update(T value) {
    int keyGroup = backend.currentKeyGroup(table);
    if (value == null) {
      table.remove(keyGroup, backend.currentKeyUnchecked());
    } else {
      table.put(keyGroup, backend.currentKeyUnchecked(), value);
    }
  }

  @Override
  public void clear() {
    table.remove(backend.currentKeyGroup(table), backend.currentKeyUnchecked());
  }
}
