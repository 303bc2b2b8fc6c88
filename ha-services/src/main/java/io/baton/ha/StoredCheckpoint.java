package io.baton.ha;

import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a {@link CompletedCheckpointStore} as it was found: the pointer when it could be
 * read, or why it could not. A pointer that cannot be read still proves that the checkpoint
 * completed (and that its sinks may have committed), so a restore passes over it like a checkpoint
 * with damaged files instead of failing on it.
 *
 * @param checkpointId the checkpoint's id, from the entry's name
 * @param location where the entry lives, for messages (its znode, or its directory)
 * @param pointer the pointer; empty when it cannot be read
 * @param unreadable why the pointer cannot be read; null when it can
 */
public record StoredCheckpoint(
    long checkpointId, String location, Optional<CheckpointPointer> pointer, String unreadable) {
  public StoredCheckpoint {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(pointer, "pointer");
    if (pointer.isEmpty() == (unreadable == null)) {
      throw new IllegalArgumentException(
          "checkpoint " + checkpointId + ": either a pointer or why there is none");
    }
  }

  /** An entry whose pointer was read. */
  public static StoredCheckpoint readable(CheckpointPointer pointer, String location) {
    return new StoredCheckpoint(pointer.checkpointId(), location, Optional.of(pointer), null);
  }

  /** An entry whose pointer could not be read, and why. */
  public static StoredCheckpoint unreadable(long checkpointId, String location, String why) {
    return new StoredCheckpoint(checkpointId, location, Optional.empty(), why);
  }
}
