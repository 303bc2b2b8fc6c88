package io.baton.coordinator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;

/**
 * Slots, TaskManagers and heartbeats: {@code baton_slots_total}, {@code baton_slots_available},
 * {@code baton_taskmanagers_registered}, {@code baton_heartbeat_last_age_seconds{taskmanager_id}},
 * {@code baton_heartbeats_missed_total}, {@code baton_taskmanagers_lost_total}.
 */
public final class ResourceManagerMetrics {
  private final MeterRegistry registry;
  private final AtomicInteger slotsTotal = new AtomicInteger();
  private final AtomicInteger slotsAvailable = new AtomicInteger();
  private final AtomicInteger taskManagers = new AtomicInteger();
  private final Counter heartbeatsMissed;
  private final Counter taskManagersLost;
  private final Map<String, Meter> heartbeatAges = new ConcurrentHashMap<>();

  public ResourceManagerMetrics(MeterRegistry registry) {
    this.registry = registry;
    // exported as baton_slots_total by a registry from PrometheusRegistries
    Gauge.builder("baton.slots.total", slotsTotal, AtomicInteger::get)
        .description("Slots offered by registered TaskManagers")
        .register(registry);
    Gauge.builder("baton.slots.available", slotsAvailable, AtomicInteger::get)
        .description("Slots not allocated to a job")
        .register(registry);
    Gauge.builder("baton.taskmanagers.registered", taskManagers, AtomicInteger::get)
        .description("Registered TaskManagers")
        .register(registry);
    heartbeatsMissed =
        Counter.builder("baton.heartbeats.missed")
            .description("Heartbeat intervals that passed without a TaskManager's heartbeat")
            .register(registry);
    taskManagersLost =
        Counter.builder("baton.taskmanagers.lost")
            .description("TaskManagers released because their heartbeats stopped")
            .register(registry);
  }

  public void setSlots(int total, int available, int registeredTaskManagers) {
    slotsTotal.set(total);
    slotsAvailable.set(available);
    taskManagers.set(registeredTaskManagers);
  }

  /** Starts exporting the age of a TaskManager's latest heartbeat. */
  public void trackHeartbeatAge(String taskManagerId, DoubleSupplier ageSeconds) {
    // a re-registered TaskManager gets a fresh gauge: the registry would hand back the old one
    untrackHeartbeatAge(taskManagerId);
    heartbeatAges.put(
        taskManagerId,
        Gauge.builder("baton.heartbeat.last.age", ageSeconds::getAsDouble)
            .description("Seconds since the TaskManager's latest heartbeat")
            .baseUnit("seconds")
            .tag("taskmanager_id", taskManagerId)
            .register(registry));
  }

  public void untrackHeartbeatAge(String taskManagerId) {
    Meter gauge = heartbeatAges.remove(taskManagerId);
    if (gauge != null) {
      registry.remove(gauge);
    }
  }

  public void heartbeatsMissed(int intervals) {
    heartbeatsMissed.increment(intervals);
  }

  public void taskManagerLost() {
    taskManagersLost.increment();
  }
}
