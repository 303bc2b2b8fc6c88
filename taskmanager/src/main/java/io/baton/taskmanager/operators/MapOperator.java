package io.baton.taskmanager.operators;

import io.baton.api.functions.Collector;
import io.baton.api.functions.MapFunction;
import io.baton.api.functions.RuntimeContext;

/** Applies a {@link MapFunction} to each record. */
final class MapOperator implements ChainedOperator, Collector<Object> {
  private final String name;
  private final MapFunction<Object, Object> function;
  private final RuntimeContext context;
  private final Collector<Object> out;

  MapOperator(
      String name,
      MapFunction<Object, Object> function,
      RuntimeContext context,
      Collector<Object> out) {
    this.name = name;
    this.function = function;
    this.context = context;
    this.out = out;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void open() throws Exception {
    function.open(context);
  }

  @Override
  public void collect(Object record) {
    Object result;
    try {
      result = function.map(record);
    } catch (Exception e) {
      throw OperatorException.wrap(name, e);
    }
    out.collect(result);
  }

  @Override
  public void close() throws Exception {
    function.close();
  }
}
