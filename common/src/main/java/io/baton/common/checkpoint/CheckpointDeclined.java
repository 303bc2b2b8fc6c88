package io.baton.common.checkpoint;

import io.baton.common.ids.ExecutionId;
import io.baton.common.ids.JobId;
import java.util.Objects;

/** A task could not take part in a checkpoint, for {@code reason} (one line). */
public record CheckpointDeclined(
    JobId jobId, ExecutionId executionId, long checkpointId, String reason) {

  public CheckpointDeclined {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(executionId, "executionId");
    reason = reason == null ? "" : reason;
  }
}
