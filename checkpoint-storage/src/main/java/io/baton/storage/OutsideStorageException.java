package io.baton.storage;

import java.io.IOException;

/**
 * A location read from outside (a ZooKeeper pointer, checkpoint metadata, a task's restore handle)
 * names a file outside the storage directory it must stay in; the file was neither read nor
 * deleted. The message is one line naming where the location came from, the location and the
 * directory.
 */
public final class OutsideStorageException extends IOException {
  private static final long serialVersionUID = 1L;

  public OutsideStorageException(String message) {
    super(message);
  }
}
