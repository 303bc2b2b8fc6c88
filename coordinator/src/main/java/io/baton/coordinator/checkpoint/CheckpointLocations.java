package io.baton.coordinator.checkpoint;

import io.baton.common.config.CheckpointingOptions;
import io.baton.ha.CheckpointPointer;
import io.baton.storage.ConfinedDirectory;
import io.baton.storage.OutsideStorageException;
import java.net.URI;
import java.util.Optional;

/**
 * Where a job's completed checkpoints may lie: checkpoints under {@code state.checkpoints.dir},
 * savepoints under {@code state.savepoints.dir}. A pointer read from the completed checkpoint store
 * that names a directory elsewhere is refused before anything reads or deletes it.
 */
final class CheckpointLocations {
  private final Optional<ConfinedDirectory> checkpoints;
  private final Optional<ConfinedDirectory> savepoints;

  private CheckpointLocations(
      Optional<ConfinedDirectory> checkpoints, Optional<ConfinedDirectory> savepoints) {
    this.checkpoints = checkpoints;
    this.savepoints = savepoints;
  }

  static CheckpointLocations of(CheckpointSettings settings) {
    return new CheckpointLocations(
        settings
            .checkpointsDirectory()
            .map(d -> ConfinedDirectory.of(d, CheckpointingOptions.CHECKPOINTS_DIRECTORY.key())),
        settings
            .savepointsDirectory()
            .map(d -> ConfinedDirectory.of(d, CheckpointingOptions.SAVEPOINT_DIRECTORY.key())));
  }

  /**
   * The normalized directory of {@code pointer}.
   *
   * @param source where the pointer came from, for the message (e.g. {@code checkpoint 7 of job
   *     <id>})
   * @throws OutsideStorageException one line naming the source, the directory and the allowed one
   */
  URI directoryOf(CheckpointPointer pointer, String source) throws OutsideStorageException {
    Optional<ConfinedDirectory> allowed = pointer.savepoint() ? savepoints : checkpoints;
    if (allowed.isEmpty()) {
      throw new OutsideStorageException(
          source
              + " names "
              + pointer.directory()
              + ", but "
              + (pointer.savepoint()
                  ? CheckpointingOptions.SAVEPOINT_DIRECTORY.key()
                  : CheckpointingOptions.CHECKPOINTS_DIRECTORY.key())
              + " is not set: refused, neither read nor deleted");
    }
    return allowed.get().confine(pointer.directory(), source);
  }
}
