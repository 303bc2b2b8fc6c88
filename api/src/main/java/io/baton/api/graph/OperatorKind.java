package io.baton.api.graph;

/** What an operator in a chain does, and so which type its {@link OperatorSpec#function()} has. */
public enum OperatorKind {
  /** function: {@link io.baton.api.connector.Source}; always first in its chain. */
  SOURCE,
  /** function: {@link io.baton.api.functions.MapFunction}. */
  MAP,
  /** function: {@link io.baton.api.functions.FlatMapFunction}. */
  FLAT_MAP,
  /** function: {@link io.baton.api.functions.FilterFunction}. */
  FILTER,
  /**
   * function: {@link io.baton.api.functions.KeyedProcessFunction}; {@link
   * OperatorSpec#keySelector()} extracts the key of its input. Always first in its chain (its input
   * arrives hash-partitioned).
   */
  KEYED_PROCESS,
  /** function: {@link io.baton.api.connector.Sink}; always last in its chain. */
  SINK
}
