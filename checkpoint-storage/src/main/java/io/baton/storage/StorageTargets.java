package io.baton.storage;

import io.baton.common.config.CheckpointingOptions;
import io.baton.common.config.Configuration;
import io.baton.common.config.HighAvailabilityOptions;
import io.baton.common.config.StorageOptions;
import io.baton.common.config.StorageUriForm;
import java.net.URI;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a storage location a user names for a savepoint ({@code POST /jobs/{id}/savepoints}
 * target-directory, {@code bin/baton savepoint}) or a restore ({@code savepointPath}, {@code
 * bin/baton run -s}): an absolute URI on a scheme this cluster has configured. Anyone who may call
 * the REST API chooses these locations, so a relative path (resolved against some JobManager's
 * working directory) or a scheme nobody set up is refused up front with one line.
 *
 * <p>Configured schemes: {@code file} always; {@code hdfs} when {@code fs.hdfs.hadoopconf} or
 * {@code $HADOOP_CONF_DIR} is set or a configured location (HA storage, checkpoints, savepoints) is
 * on HDFS; {@code s3} when {@code s3.endpoint} or {@code s3.access-key} is set or a configured
 * location is on S3.
 */
public final class StorageTargets {
  private final Set<String> schemes;

  private StorageTargets(Set<String> schemes) {
    this.schemes = Collections.unmodifiableSortedSet(new TreeSet<>(schemes));
  }

  /** The schemes {@code config} (and {@code $HADOOP_CONF_DIR} in {@code environment}) set up. */
  public static StorageTargets of(Configuration config, Map<String, String> environment) {
    Set<String> schemes = new TreeSet<>();
    schemes.add("file");
    String hadoopConfDir = environment.get("HADOOP_CONF_DIR");
    if (config.contains(StorageOptions.HADOOP_CONF_DIR)
        || (hadoopConfDir != null && !hadoopConfDir.isBlank())) {
      schemes.add("hdfs");
    }
    if (config.contains(StorageOptions.S3_ENDPOINT)
        || config.contains(StorageOptions.S3_ACCESS_KEY)) {
      schemes.add("s3");
    }
    for (var option :
        List.of(
            HighAvailabilityOptions.STORAGE_DIR,
            CheckpointingOptions.CHECKPOINTS_DIRECTORY,
            CheckpointingOptions.SAVEPOINT_DIRECTORY)) {
      config.getOptional(option).flatMap(StorageTargets::scheme).ifPresent(schemes::add);
    }
    return new StorageTargets(schemes);
  }

  /** The schemes a target may use, sorted. */
  public Set<String> schemes() {
    return schemes;
  }

  /**
   * {@code location} as a URI, when it is an absolute URI on a configured scheme.
   *
   * @param what what the location is, for the message: "target-directory", "savepointPath"
   * @throws IllegalArgumentException with one line naming {@code what}, the location and the
   *     problem
   */
  public URI check(String location, String what) {
    URI uri = StorageUriForm.require(location, what);
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (!schemes.contains(scheme)) {
      throw new IllegalArgumentException(
          what
              + " '"
              + location
              + "' is on "
              + scheme
              + "://, which this cluster has not configured (it can write to "
              + String.join(", ", schemes.stream().map(s -> s + "://").toList())
              + ")");
    }
    return uri;
  }

  private static Optional<String> scheme(String location) {
    try {
      return Optional.ofNullable(FileStores.toUri(location).getScheme())
          .map(s -> s.toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      // a location that is no URI contributes no scheme; its own check reports it
      return Optional.empty();
    }
  }
}
