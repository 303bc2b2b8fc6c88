package io.baton.ha.zookeeper;

import io.baton.common.config.Configuration;
import io.baton.common.config.HighAvailabilityOptions;
import io.baton.common.config.IllegalConfigurationException;
import io.baton.storage.FileStores;
import java.net.URI;

/** {@code high-availability.storageDir}: where the ZooKeeper HA stores keep their files. */
final class HaStorageDir {
  private HaStorageDir() {}

  /**
   * The configured directory, required with ZooKeeper.
   *
   * @throws IllegalConfigurationException one line naming the key
   */
  static URI of(Configuration config) {
    String key = HighAvailabilityOptions.STORAGE_DIR.key();
    String value =
        config
            .getOptional(HighAvailabilityOptions.STORAGE_DIR)
            .filter(v -> !v.isBlank())
            .orElseThrow(
                () ->
                    new IllegalConfigurationException(
                        key
                            + " is required when "
                            + HighAvailabilityOptions.TYPE.key()
                            + " is zookeeper: where job graphs, jars and checkpoint pointers"
                            + " live"));
    try {
      return FileStores.toUri(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalConfigurationException(
          "invalid " + key + " '" + value + "': " + e.getMessage(), e);
    }
  }
}
