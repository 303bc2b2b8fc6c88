package io.baton.taskmanager.operators;

import io.baton.api.functions.Collector;
import java.util.List;

/** Hands each record of a chain's last operator to every outgoing edge. */
final class FanOutCollector implements Collector<Object> {
  private final List<Collector<Object>> outputs;

  FanOutCollector(List<? extends Collector<Object>> outputs) {
    this.outputs = List.copyOf(outputs);
  }

  @Override
  public void collect(Object record) {
    for (int i = 0; i < outputs.size(); i++) {
      outputs.get(i).collect(record);
    }
  }
}
