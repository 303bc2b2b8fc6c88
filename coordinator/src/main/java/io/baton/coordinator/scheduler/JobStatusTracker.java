package io.baton.coordinator.scheduler;

import io.baton.common.concurrent.MainThreadExecutor;
import io.baton.common.ids.JobId;
import io.baton.coordinator.metrics.JobManagerMetrics;
import io.baton.coordinator.status.JobStatus;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job's status and when it started, last changed and ended; reports every status change to the
 * metrics and the log. Main thread only.
 */
final class JobStatusTracker {
  // one log category for everything the scheduler of a job does
  private static final Logger LOG = LoggerFactory.getLogger(JobScheduler.class);

  private final JobId jobId;
  private final String jobName;
  private final MainThreadExecutor mainThread;
  private final Clock clock;
  private final JobManagerMetrics metrics;
  private final long startTime;

  private JobStatus status = JobStatus.CREATED;
  private long endTime = -1;
  private long lastModification;

  JobStatusTracker(
      JobId jobId,
      String jobName,
      MainThreadExecutor mainThread,
      Clock clock,
      JobManagerMetrics metrics) {
    this.jobId = jobId;
    this.jobName = jobName;
    this.mainThread = mainThread;
    this.clock = clock;
    this.metrics = metrics;
    this.startTime = clock.millis();
    this.lastModification = startTime;
  }

  JobStatus status() {
    return status;
  }

  boolean is(JobStatus expected) {
    return status == expected;
  }

  /** Counts the job in its initial status. */
  void announce() {
    metrics.jobStatusChanged(null, status);
  }

  void transition(JobStatus next) {
    mainThread.assertRunningInMainThread();
    JobStatus previous = status;
    status = next;
    lastModification = clock.millis();
    metrics.jobStatusChanged(previous, next);
    LOG.info("Job {} ({}) switched from {} to {}", jobName, jobId, previous, next);
  }

  /** A task of the job changed its state at {@code now}. */
  void modified(long now) {
    mainThread.assertRunningInMainThread();
    lastModification = now;
  }

  void ended() {
    mainThread.assertRunningInMainThread();
    endTime = clock.millis();
  }

  long startTime() {
    return startTime;
  }

  long endTime() {
    return endTime;
  }

  long lastModification() {
    return lastModification;
  }
}
