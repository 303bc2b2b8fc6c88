package io.baton.coordinator.checkpoint;

import io.baton.common.config.CheckpointingOptions;
import io.baton.common.config.CheckpointingOptions.ExternalizedRetention;
import io.baton.common.config.Configuration;
import io.baton.storage.FileStores;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A job's checkpoint settings: the cluster configuration with the job's own configuration laid over
 * it.
 *
 * @param interval time between periodic checkpoints; empty: periodic checkpoints are off
 * @param checkpointsDirectory {@code state.checkpoints.dir}; required when the interval is set
 * @param savepointsDirectory {@code state.savepoints.dir}, the default savepoint target
 */
public record CheckpointSettings(
    Optional<Duration> interval,
    Duration timeout,
    int maxConcurrent,
    int tolerableFailures,
    int numRetained,
    Optional<URI> checkpointsDirectory,
    Optional<URI> savepointsDirectory,
    ExternalizedRetention retention) {

  /**
   * Reads the settings of a job.
   *
   * @throws IllegalArgumentException one line, when checkpointing is on without a checkpoint
   *     directory or a value is out of range
   */
  public static CheckpointSettings of(Configuration cluster, Map<String, String> jobConfig) {
    Configuration c = cluster.withOverrides(jobConfig);
    Optional<Duration> interval = c.getOptional(CheckpointingOptions.INTERVAL);
    Optional<URI> dir =
        c.getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY).map(FileStores::toUri);
    Optional<URI> savepoints =
        c.getOptional(CheckpointingOptions.SAVEPOINT_DIRECTORY).map(FileStores::toUri);
    if (interval.isPresent() && dir.isEmpty()) {
      throw new IllegalArgumentException(
          CheckpointingOptions.INTERVAL.key()
              + " is set but "
              + CheckpointingOptions.CHECKPOINTS_DIRECTORY.key()
              + " is not: say where checkpoints go");
    }
    // the options' ranges guarantee the counts are at least 1 (tolerable failures at least 0)
    return new CheckpointSettings(
        interval,
        c.get(CheckpointingOptions.TIMEOUT),
        c.get(CheckpointingOptions.MAX_CONCURRENT),
        c.get(CheckpointingOptions.TOLERABLE_FAILURES),
        c.get(CheckpointingOptions.NUM_RETAINED),
        dir,
        savepoints,
        c.get(CheckpointingOptions.EXTERNALIZED_RETENTION));
  }

  public boolean periodic() {
    return interval.isPresent();
  }
}
