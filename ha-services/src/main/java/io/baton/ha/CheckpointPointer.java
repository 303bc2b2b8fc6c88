package io.baton.ha;

import java.util.Objects;

/**
 * Where a completed checkpoint (or savepoint) of a job lives, and what a later leader shows of it
 * in the job's checkpoint history: what a {@link CompletedCheckpointStore} keeps. The state itself
 * is named by the {@code _metadata} file in {@code directory}.
 *
 * <p>Pointers written before the history fields existed read back with those fields 0.
 *
 * @param checkpointId the checkpoint's id, unique per job
 * @param directory the checkpoint's directory URI ({@code .../chk-<id>} or a savepoint directory)
 * @param savepoint whether it is a savepoint (never deleted by retention)
 * @param completionTimestamp when it completed, epoch milliseconds
 * @param triggerTimestamp when it was triggered, epoch milliseconds; 0 when not known
 * @param stateSize bytes of state it holds; 0 when not known
 * @param numSubtasks subtasks that acknowledged it; 0 when not known
 */
public record CheckpointPointer(
    long checkpointId,
    String directory,
    boolean savepoint,
    long completionTimestamp,
    long triggerTimestamp,
    long stateSize,
    int numSubtasks) {
  public CheckpointPointer {
    Objects.requireNonNull(directory, "directory");
    if (stateSize < 0 || numSubtasks < 0) {
      throw new IllegalArgumentException(
          "checkpoint " + checkpointId + ": negative size or subtask count");
    }
  }

  /** A pointer without history figures. */
  public CheckpointPointer(
      long checkpointId, String directory, boolean savepoint, long completionTimestamp) {
    this(checkpointId, directory, savepoint, completionTimestamp, 0, 0, 0);
  }

  /** Milliseconds from trigger to completion, or 0 when the trigger time is not known. */
  public long duration() {
    return triggerTimestamp == 0 ? 0 : Math.max(0, completionTimestamp - triggerTimestamp);
  }
}
