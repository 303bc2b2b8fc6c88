package io.baton.taskmanager.operators;

import io.baton.api.functions.Collector;
import io.baton.api.functions.FlatMapFunction;
import io.baton.api.functions.RuntimeContext;

/** Applies a {@link FlatMapFunction}, which emits straight into the rest of the chain. */
final class FlatMapOperator implements ChainedOperator, Collector<Object> {
  private final String name;
  private final FlatMapFunction<Object, Object> function;
  private final RuntimeContext context;
  private final Collector<Object> out;

  FlatMapOperator(
      String name,
      FlatMapFunction<Object, Object> function,
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
    try {
      function.flatMap(record, out);
    } catch (Exception e) {
      throw OperatorException.wrap(name, e);
    }
  }

  @Override
  public void close() throws Exception {
    function.close();
  }
}
