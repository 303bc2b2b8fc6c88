package io.baton.taskmanager.operators;

import io.baton.api.functions.Collector;
import io.baton.api.functions.KeySelector;
import io.baton.api.functions.KeyedProcessFunction;
import io.baton.taskmanager.state.HeapKeyedStateBackend;
import io.baton.taskmanager.state.OperatorRuntimeContext;

/**
 * Runs a {@link KeyedProcessFunction}: sets each record's key as the state backend's current key,
 * so the function's state handles act on that key, then processes the record.
 */
final class KeyedProcessOperator implements ChainedOperator, Collector<Object> {
  private final String name;
  private final KeyedProcessFunction<Object, Object, Object> function;
  private final KeySelector<Object, Object> keySelector;
  private final HeapKeyedStateBackend keyedState;
  private final OperatorRuntimeContext context;
  private final Collector<Object> out;
  private final KeyedProcessFunction.Context<Object> recordContext;

  KeyedProcessOperator(
      String name,
      KeyedProcessFunction<Object, Object, Object> function,
      KeySelector<Object, Object> keySelector,
      HeapKeyedStateBackend keyedState,
      OperatorRuntimeContext context,
      Collector<Object> out) {
    this.name = name;
    this.function = function;
    this.keySelector = keySelector;
    this.keyedState = keyedState;
    this.context = context;
    this.out = out;
    this.recordContext = keyedState::currentKey;
  }

  @Override
  public String name() {
    return name;
  }

  HeapKeyedStateBackend keyedState() {
    return keyedState;
  }

  @Override
  public void open() throws Exception {
    function.open(context);
  }

  @Override
  public void collect(Object record) {
    try {
      keyedState.setCurrentKey(keySelector.getKey(record));
      function.processElement(record, recordContext, out);
    } catch (Exception e) {
      throw OperatorException.wrap(name, e);
    }
  }

  @Override
  public void endOfInput() throws Exception {
    function.endOfInput(keyedState::forEachKey, out);
  }

  @Override
  public void close() throws Exception {
    function.close();
  }
}
