package io.baton.coordinator.checkpoint;

import io.baton.common.config.CheckpointingOptions;
import io.baton.coordinator.failover.FailureCauses;
import java.util.Optional;

/**
 * Counts the checkpoints that failed in a row against {@code
 * execution.checkpointing.tolerable-failed-checkpoints}: one more than tolerated fails the job.
 * Main thread.
 */
final class ConsecutiveCheckpointFailures {
  private final int tolerable;
  private int consecutive;

  ConsecutiveCheckpointFailures(int tolerable) {
    this.tolerable = tolerable;
  }

  /** A checkpoint completed: the count starts again. */
  void completed() {
    consecutive = 0;
  }

  /**
   * A checkpoint failed for {@code reason}; returns the job's failure cause when that is one more
   * than tolerated (and starts counting again).
   */
  Optional<String> failed(String reason) {
    consecutive++;
    if (consecutive <= tolerable) {
      return Optional.empty();
    }
    String cause =
        FailureCauses.describe(
            new CheckpointException(
                consecutive
                    + " consecutive checkpoints failed, more than "
                    + CheckpointingOptions.TOLERABLE_FAILURES.key()
                    + " = "
                    + tolerable
                    + "; the last one: "
                    + reason));
    consecutive = 0;
    return Optional.of(cause);
  }
}
