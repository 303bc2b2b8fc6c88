package io.baton.coordinator.metrics;

import io.baton.common.execution.ExecutionState;
import io.baton.coordinator.status.JobStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts of jobs per state ({@code baton_jobs{state}}) and of the current attempts' tasks of
 * unfinished jobs per state ({@code baton_tasks{state}}). Updated from the job masters' threads and
 * read by the scrape, hence atomics.
 */
public final class JobManagerMetrics {
  private final MeterRegistry registry;
  private final Map<JobStatus, AtomicInteger> jobs = new EnumMap<>(JobStatus.class);
  private final Map<ExecutionState, AtomicInteger> tasks = new EnumMap<>(ExecutionState.class);

  public JobManagerMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (JobStatus s : JobStatus.values()) {
      AtomicInteger count = new AtomicInteger();
      jobs.put(s, count);
      Gauge.builder("baton.jobs", count, AtomicInteger::get)
          .description("Jobs known to the JobManager (running and archived) per state")
          .tag("state", s.name())
          .register(registry);
    }
    for (ExecutionState s : ExecutionState.values()) {
      AtomicInteger count = new AtomicInteger();
      tasks.put(s, count);
      Gauge.builder("baton.tasks", count, AtomicInteger::get)
          .description("Tasks of unfinished jobs (current attempts) per state")
          .tag("state", s.name())
          .register(registry);
    }
  }

  /** A job moved from {@code from} (null: it is new) to {@code to} (null: it is forgotten). */
  public void jobStatusChanged(JobStatus from, JobStatus to) {
    if (from != null) {
      jobs.get(from).decrementAndGet();
    }
    if (to != null) {
      jobs.get(to).incrementAndGet();
    }
  }

  /**
   * A task moved from {@code from} (null: a new execution) to {@code to} (null: no longer counted).
   */
  public void taskStateChanged(ExecutionState from, ExecutionState to) {
    if (from != null) {
      tasks.get(from).decrementAndGet();
    }
    if (to != null) {
      tasks.get(to).incrementAndGet();
    }
  }

  /** The metrics of one job, removed again with {@link JobMetricGroup#close()}. */
  public JobMetricGroup jobMetricGroup(String jobId, String jobName) {
    return new JobMetricGroup(registry, jobId, jobName);
  }
}
