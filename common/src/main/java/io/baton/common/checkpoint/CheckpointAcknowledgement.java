package io.baton.common.checkpoint;

import io.baton.common.ids.ExecutionId;
import io.baton.common.ids.JobId;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A task finished its part of a checkpoint: the state files it wrote and how long the parts took.
 */
public record CheckpointAcknowledgement(
    JobId jobId,
    ExecutionId executionId,
    long checkpointId,
    List<StateFileHandle> state,
    Duration syncDuration,
    Duration asyncDuration,
    Duration alignmentDuration) {

  public CheckpointAcknowledgement {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(executionId, "executionId");
    state = List.copyOf(state);
    Objects.requireNonNull(syncDuration, "syncDuration");
    Objects.requireNonNull(asyncDuration, "asyncDuration");
    Objects.requireNonNull(alignmentDuration, "alignmentDuration");
  }
}
