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
 * Slots, TaskManagers and heartbeats: {@code baton_slots}, {@code baton_slots_available}, {@code
 * baton_taskmanagers_registered}, {@code baton_heartbeat_last_age_seconds{taskmanager_id}}, {@code
 * baton_heartbeats_missed_total}, {@code baton_taskmanagers_lost_total}; with an active worker
 * driver {@code baton_workers_pending}, {@code baton_workers_running}, {@code
 * baton_workers_started_total} and {@code baton_workers_failed_total}.
 */
public final class ResourceManagerMetrics {
  private final MeterRegistry registry;
  private final AtomicInteger slotsTotal = new AtomicInteger();
  private final AtomicInteger slotsAvailable = new AtomicInteger();
  private final AtomicInteger taskManagers = new AtomicInteger();
  private final Counter heartbeatsMissed;
  private final Counter taskManagersLost;
  private final AtomicInteger workersPending = new AtomicInteger();
  private final AtomicInteger workersRunning = new AtomicInteger();
  private final Counter workersStarted;
  private final Counter workersFailed;
  private final Map<String, Meter> heartbeatAges = new ConcurrentHashMap<>();

  public ResourceManagerMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("baton.slots", slotsTotal, AtomicInteger::get)
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
            .description(
                "TaskManagers released because their heartbeats stopped or they were unreachable")
            .register(registry);
    Gauge.builder("baton.workers.pending", workersPending, AtomicInteger::get)
        .description("TaskManagers the worker driver started that have not registered yet")
        .register(registry);
    Gauge.builder("baton.workers.running", workersRunning, AtomicInteger::get)
        .description("TaskManagers the worker driver started and has not stopped")
        .register(registry);
    workersStarted =
        Counter.builder("baton.workers.started")
            .description("TaskManagers the worker driver was asked to start")
            .register(registry);
    workersFailed =
        Counter.builder("baton.workers.failed")
            .description(
                "Started TaskManagers that ended or timed out before they registered, or could"
                    + " not be launched")
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

  /** Workers of the driver: started but not registered yet, and all of them. */
  public void setWorkers(int pending, int running) {
    workersPending.set(pending);
    workersRunning.set(running);
  }

  public void workerStarted() {
    workersStarted.increment();
  }

  public void workerFailed() {
    workersFailed.increment();
  }
}
