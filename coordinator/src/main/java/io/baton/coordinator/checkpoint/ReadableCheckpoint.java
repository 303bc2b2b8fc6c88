package io.baton.coordinator.checkpoint;

import io.baton.common.config.ErrorLines;
import io.baton.ha.CheckpointPointer;
import io.baton.ha.StoredCheckpoint;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the newest completed checkpoint whose pointer, metadata and state files are all intact. A
 * pointer that cannot be read counts as a damaged checkpoint, like a damaged file.
 */
final class ReadableCheckpoint {
  private ReadableCheckpoint() {}

  /**
   * A checkpoint passed over, and why.
   *
   * @param location its directory, or its pointer's znode when the pointer could not be read
   */
  record Skipped(long checkpointId, String location, String reason) {}

  /** The checkpoint to restore from (empty: none is usable) and those passed over before it. */
  record Found(Optional<RestorePoint> chosen, List<Skipped> skipped) {}

  /**
   * Reads and verifies {@code newestFirst} in order; blocks on storage. A pointer naming a
   * directory outside {@code locations}, or metadata naming state files outside its directory, is
   * passed over unread.
   */
  static Found latest(
      List<StoredCheckpoint> newestFirst,
      CheckpointFiles files,
      CheckpointLocations locations,
      String jobId) {
    List<Skipped> skipped = new ArrayList<>();
    for (StoredCheckpoint stored : newestFirst) {
      if (stored.pointer().isEmpty()) {
        skipped.add(
            new Skipped(
                stored.checkpointId(),
                stored.location(),
                "its pointer cannot be read: " + ErrorLines.oneLine(stored.unreadable())));
        continue;
      }
      CheckpointPointer pointer = stored.pointer().get();
      try {
        URI dir =
            locations.directoryOf(
                pointer, "checkpoint " + pointer.checkpointId() + " of job " + jobId);
        CheckpointMetadata metadata = files.readMetadata(dir);
        files.verify(dir, metadata);
        return new Found(Optional.of(new RestorePoint(metadata, pointer.directory())), skipped);
      } catch (IOException | RuntimeException e) {
        skipped.add(
            new Skipped(
                pointer.checkpointId(),
                pointer.directory(),
                ErrorLines.oneLine(String.valueOf(e.getMessage()))));
      }
    }
    return new Found(Optional.empty(), skipped);
  }
}
