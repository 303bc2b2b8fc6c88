package io.baton.common.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;

/**
 * A state machine's current state as Prometheus shows enums: one series per state, tagged {@code
 * state}, 1 for the current one and 0 for the others, so an alert can select the state it is about
 * ({@code baton_zookeeper_connection_state{state!="CONNECTED"} == 1}).
 */
public final class StateGauges {
  private StateGauges() {}

  /**
   * Registers {@code name{state=...}} for every constant of {@code states}; {@code current} is read
   * at each scrape, from the scrape's thread.
   */
  public static <E extends Enum<E>> void register(
      MeterRegistry registry,
      String name,
      String description,
      Class<E> states,
      Supplier<E> current) {
    for (E state : states.getEnumConstants()) {
      Gauge.builder(name, current, c -> c.get() == state ? 1 : 0)
          // a gauge holds its object weakly: a lambda held by nobody else would read NaN after GC
          .strongReference(true)
          .description(description)
          .tag("state", state.name())
          .register(registry);
    }
  }
}
