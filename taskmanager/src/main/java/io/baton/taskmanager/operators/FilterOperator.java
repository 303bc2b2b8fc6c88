package io.baton.taskmanager.operators;

import io.baton.api.functions.Collector;
import io.baton.api.functions.FilterFunction;
import io.baton.api.functions.RuntimeContext;

/** Passes on the records a {@link FilterFunction} keeps. */
final class FilterOperator implements ChainedOperator, Collector<Object> {
  private final String name;
  private final FilterFunction<Object> function;
  private final RuntimeContext context;
  private final Collector<Object> out;

  FilterOperator(
      String name, FilterFunction<Object> function, RuntimeContext context, Collector<Object> out) {
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
    boolean keep;
    try {
      keep = function.filter(record);
    } catch (Exception e) {
      throw OperatorException.wrap(name, e);
    }
    if (keep) {
      out.collect(record);
    }
  }

  @Override
  public void close() throws Exception {
    function.close();
  }
}
