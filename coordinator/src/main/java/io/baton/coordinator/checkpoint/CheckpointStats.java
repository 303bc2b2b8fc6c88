package io.baton.coordinator.checkpoint;

import java.util.List;

/**
 * A job's checkpoint figures at one moment, as {@code GET /jobs/{id}/checkpoints} shows them.
 *
 * @param history the most recent checkpoints, newest first
 */
public record CheckpointStats(
    Counts counts,
    Entry latestCompleted,
    Entry latestSavepoint,
    Entry latestFailed,
    Restored latestRestored,
    List<Entry> history) {

  public static final CheckpointStats EMPTY =
      new CheckpointStats(new Counts(0, 0, 0, 0, 0), null, null, null, null, List.of());

  /** How many checkpoints were restored, triggered, are in flight, completed and failed. */
  public record Counts(long restored, long total, long inProgress, long completed, long failed) {}

  /** Status of a checkpoint in the history. */
  public enum Status {
    IN_PROGRESS,
    COMPLETED,
    FAILED
  }

  /**
   * One checkpoint or savepoint.
   *
   * @param failureMessage why it failed; null unless FAILED
   * @param skippedOnRestore why a restore passed it over (missing or corrupt files); null if not
   */
  public record Entry(
      long id,
      Status status,
      boolean savepoint,
      long triggerTimestamp,
      long latestAckTimestamp,
      long stateSize,
      long endToEndDuration,
      String externalPath,
      int numSubtasks,
      int numAcknowledgedSubtasks,
      String failureMessage,
      String skippedOnRestore) {}

  /** The checkpoint the current attempt started from. */
  public record Restored(long id, long restoreTimestamp, boolean savepoint, String externalPath) {}
}
