package io.baton.api.functions;

import io.baton.api.state.ListState;
import io.baton.api.state.ListStateDescriptor;
import io.baton.api.state.MapState;
import io.baton.api.state.MapStateDescriptor;
import io.baton.api.state.ValueState;
import io.baton.api.state.ValueStateDescriptor;

/**
 * What a running function can ask the runtime for. Keyed state is only available to functions that
 * run after a {@code keyBy}; elsewhere the state getters throw {@link IllegalStateException}. The
 * returned handles always act on the key of the record being processed.
 */
public interface RuntimeContext extends TaskInfo {

  <T> ValueState<T> getState(ValueStateDescriptor<T> descriptor);

  <T> ListState<T> getListState(ListStateDescriptor<T> descriptor);

  <K, V> MapState<K, V> getMapState(MapStateDescriptor<K, V> descriptor);
}
