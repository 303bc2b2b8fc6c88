package io.baton.common.checkpoint;

import io.baton.common.ids.ExecutionId;
import io.baton.common.ids.JobId;
import java.util.Objects;

/** The JobManager tells a task that a checkpoint completed, or that it was aborted. */
public record CheckpointNotice(JobId jobId, ExecutionId executionId, long checkpointId) {

  public CheckpointNotice {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(executionId, "executionId");
  }
}
