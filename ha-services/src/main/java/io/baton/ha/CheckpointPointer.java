package io.baton.ha;

import java.util.Objects;

/**
 * Where a completed checkpoint (or savepoint) of a job lives: what a {@link
 * CompletedCheckpointStore} keeps. The state itself is named by the {@code _metadata} file in
 * {@code directory}.
 *
 * @param checkpointId the checkpoint's id, unique per job
 * @param directory the checkpoint's directory URI ({@code .../chk-<id>} or a savepoint directory)
 * @param savepoint whether it is a savepoint (never deleted by retention)
 * @param completionTimestamp when it completed, epoch milliseconds
 */
public record CheckpointPointer(
    long checkpointId, String directory, boolean savepoint, long completionTimestamp) {
  public CheckpointPointer {
    Objects.requireNonNull(directory, "directory");
  }
}
