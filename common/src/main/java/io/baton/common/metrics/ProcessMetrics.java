package io.baton.common.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The JVM's and the process's own figures, which every Baton process serves next to its own: heap
 * and non-heap memory ({@code jvm_memory_*}), GC pauses ({@code jvm_gc_*}), threads ({@code
 * jvm_threads_*}), classes ({@code jvm_classes_*}), CPU ({@code process_cpu_seconds_total}, {@code
 * process_cpu_usage}, {@code system_cpu_usage}, {@code system_cpus}), uptime ({@code
 * process_uptime_seconds}, {@code process_start_time_seconds}) and file descriptors ({@code
 * process_files_*}). Closing it stops listening to GC notifications.
 */
public final class ProcessMetrics implements AutoCloseable {
  private final JvmGcMetrics gc;

  private ProcessMetrics(JvmGcMetrics gc) {
    this.gc = gc;
  }

  /** Registers the JVM's and the process's meters with {@code registry}. */
  public static ProcessMetrics bindTo(MeterRegistry registry) {
    // Micrometer's CPU time counts nanoseconds ("process_cpu_time_ns_total") and its CPU count
    // ends in "_count": promtool warns about both, so they go by Prometheus' usual names instead
    registry.config().meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"));
    registry
        .config()
        .meterFilter(
            new MeterFilter() {
              @Override
              public Meter.Id map(Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
              }
            });
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean cpu) {
      FunctionCounter.builder("process.cpu", cpu, c -> c.getProcessCpuTime() / 1e9)
          .description("CPU time the process used")
          .baseUnit("seconds")
          .register(registry);
    }
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    return new ProcessMetrics(gc);
  }

  @Override
  public void close() {
    gc.close();
  }
}
