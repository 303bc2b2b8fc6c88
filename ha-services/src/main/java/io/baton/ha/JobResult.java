package io.baton.ha;

import io.baton.common.ids.JobId;
import java.util.Objects;
import java.util.Optional;

/**
 * How a job ended, kept so that no later leader runs it again.
 *
 * @param status {@code FINISHED}, {@code FAILED} or {@code CANCELED}
 * @param failureCause one line, for a failed job
 */
public record JobResult(
    JobId jobId,
    String jobName,
    String status,
    long startTime,
    long endTime,
    Optional<String> failureCause) {
  public JobResult {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(jobName, "jobName");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(failureCause, "failureCause");
  }
}
