package io.baton.taskmanager.operators;

import io.baton.api.functions.Collector;
import java.util.List;

/** Hands each record of a chain's last operator to every outgoing edge. */
final class FanOutCollector implements Collector<Object> {
  private final Collector<Object>[] outputs;

  @SuppressWarnings("unchecked")
  FanOutCollector(List<? extends Collector<Object>> outputs) {
    this.outputs = outputs.toArray(new Collector[0]);
  }

  @Override
  public void collect(Object record) {
    for (Collector<Object> output : outputs) {
      output.collect(record);
    }
  }
}
