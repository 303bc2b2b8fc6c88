package io.baton.common.deployment;

import io.baton.common.ids.ExecutionId;
import io.baton.common.ids.JobId;
import java.util.Objects;

/** The JobManager asks a TaskManager to cancel one execution attempt. */
public record CancelTaskCommand(JobId jobId, ExecutionId executionId) {

  public CancelTaskCommand {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(executionId, "executionId");
  }
}
