package io.baton.coordinator.checkpoint;

import io.baton.ha.CheckpointPointer;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Finds the newest completed checkpoint whose metadata and state files are all intact. */
final class ReadableCheckpoint {
  private ReadableCheckpoint() {}

  /** A checkpoint passed over, and why. */
  record Skipped(CheckpointPointer pointer, String reason) {}

  /** The checkpoint to restore from (empty: none is usable) and those passed over before it. */
  record Found(Optional<RestorePoint> chosen, List<Skipped> skipped) {}

  /**
   * Reads and verifies {@code newestFirst} in order; blocks on storage. A pointer naming a
   * directory outside {@code locations}, or metadata naming state files outside its directory, is
   * passed over unread.
   */
  static Found latest(
      List<CheckpointPointer> newestFirst,
      CheckpointFiles files,
      CheckpointLocations locations,
      String jobId) {
    List<Skipped> skipped = new ArrayList<>();
    for (CheckpointPointer pointer : newestFirst) {
      try {
        URI dir =
            locations.directoryOf(
                pointer, "checkpoint " + pointer.checkpointId() + " of job " + jobId);
        CheckpointMetadata metadata = files.readMetadata(dir);
        files.verify(dir, metadata);
        return new Found(Optional.of(new RestorePoint(metadata, pointer.directory())), skipped);
      } catch (IOException | RuntimeException e) {
        skipped.add(new Skipped(pointer, e.getMessage()));
      }
    }
    return new Found(Optional.empty(), skipped);
  }
}
