package io.baton.common.checkpoint;

import io.baton.common.ids.ExecutionId;
import io.baton.common.ids.JobId;
import java.util.Objects;

/**
 * The JobManager asks a source task to start a checkpoint (or savepoint).
 *
 * @param timestamp when the JobManager triggered it, in epoch milliseconds
 * @param checkpointDirectory where this checkpoint's files go: {@code
 *     <state.checkpoints.dir>/<jobId>/chk-<id>}
 */
public record CheckpointTrigger(
    JobId jobId,
    ExecutionId executionId,
    long checkpointId,
    long timestamp,
    String checkpointDirectory,
    boolean savepoint) {

  public CheckpointTrigger {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(executionId, "executionId");
    checkpointDirectory = checkpointDirectory == null ? "" : checkpointDirectory;
  }
}
