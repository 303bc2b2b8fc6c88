package io.baton.coordinator.checkpoint;

import io.baton.storage.FileStores;
import java.net.URI;

/**
 * A verified checkpoint or savepoint a job (re)starts from.
 *
 * @param path its directory, as users name it
 */
public record RestorePoint(CheckpointMetadata metadata, String path) {

  /** The directory its state files must lie in, as a URI ending with '/'. */
  public URI directory() {
    return CheckpointFiles.directoryOf(FileStores.toUri(path));
  }
}
