package io.baton.taskmanager.task;

import io.baton.api.functions.Collector;
import io.baton.api.functions.KeyedProcessFunction;
import io.baton.api.functions.RuntimeContext;
import io.baton.api.state.ValueState;
import io.baton.api.state.ValueStateDescriptor;
import io.baton.api.tuple.Tuple2;

/** Emits the running sum per key; at the end, the total per key. */
final class RunningSum
    extends KeyedProcessFunction<String, Tuple2<String, Integer>, Tuple2<String, Integer>> {
  private transient ValueState<Integer> sum;

  @Override
  public void open(RuntimeContext context) {
    sum = context.getState(new ValueStateDescriptor<>("sum", Integer.class));
  }

  @Override
  public void processElement(
      Tuple2<String, Integer> value,
      Context<String> context,
      Collector<Tuple2<String, Integer>> out) {
    Integer current = sum.value();
    int next = (current == null ? 0 : current) + value.f1();
    sum.update(next);
    out.collect(Tuple2.of(context.getCurrentKey(), next));
  }

  @Override
  public void endOfInput(EndOfInputContext<String> context, Collector<Tuple2<String, Integer>> out)
      throws Exception {
    context.forEachKey(key -> out.collect(Tuple2.of("total " + key, sum.value())));
  }
}
