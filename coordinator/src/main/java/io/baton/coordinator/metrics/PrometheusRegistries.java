package io.baton.coordinator.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.NamingConvention;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** Creates the JobManager's Prometheus registry. */
public final class PrometheusRegistries {
  private PrometheusRegistries() {}

  /**
   * A registry whose gauges may end in {@code _total} ({@code baton_slots_total}): Prometheus'
   * naming drops that suffix from everything but counters, which would turn the gauge into {@code
   * baton_slots}.
   */
  public static PrometheusMeterRegistry create() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().namingConvention(new GaugeTotalNaming(registry.config().namingConvention()));
    return registry;
  }

  private static final class GaugeTotalNaming implements NamingConvention {
    private static final String TOTAL = ".total";
    private final NamingConvention delegate;

    GaugeTotalNaming(NamingConvention delegate) {
      this.delegate = delegate;
    }

    @Override
    public String name(String name, Meter.Type type, String baseUnit) {
      if (type == Meter.Type.GAUGE && name.endsWith(TOTAL)) {
        return delegate.name(name.substring(0, name.length() - TOTAL.length()), type, baseUnit)
            + "_total";
      }
      return delegate.name(name, type, baseUnit);
    }

    @Override
    public String tagKey(String key) {
      return delegate.tagKey(key);
    }

    @Override
    public String tagValue(String value) {
      return delegate.tagValue(value);
    }
  }
}
