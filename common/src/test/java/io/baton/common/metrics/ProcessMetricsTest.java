package io.baton.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class ProcessMetricsTest {

  @Test
  void servesTheJvmsAndTheProcesssFiguresUnderPrometheusUsualNames() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (ProcessMetrics ignored = ProcessMetrics.bindTo(registry)) {
      assertThat(registry.scrape())
          .contains("jvm_memory_used_bytes{area=\"heap\"")
          .contains("jvm_gc_memory_allocated_bytes_total ")
          .contains("jvm_threads_live_threads ")
          .contains("jvm_classes_loaded_classes ")
          .contains("# TYPE process_cpu_seconds_total counter")
          .contains("process_uptime_seconds ")
          .contains("process_start_time_seconds ")
          .contains("process_files_open_files ")
          .contains("system_cpus ")
          // the names promtool warns about are not served
          .doesNotContain("process_cpu_time_ns")
          .doesNotContain("system_cpu_count");
    }
  }

  @Test
  void stateGaugesShowOneForTheCurrentStateOnly() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Thread.State current = Thread.State.NEW;
    // a capturing lambda: a new object that only the gauges hold
    StateGauges.register(
        registry, "baton.test.state", "a test state", Thread.State.class, () -> current);
    // the supplier is held by the gauges alone: it must outlive a collection
    System.gc();
    assertThat(registry.scrape())
        .contains("baton_test_state{state=\"NEW\"} 1.0")
        .contains("baton_test_state{state=\"RUNNABLE\"} 0.0");
  }
}
