package io.baton.common.config;

import static io.baton.common.config.ConfigOption.durationOption;
import static io.baton.common.config.ConfigOption.enumOption;
import static io.baton.common.config.ConfigOption.intOption;
import static io.baton.common.config.ConfigOption.stringOption;

import java.time.Duration;

/** Checkpoints and savepoints. */
public final class CheckpointingOptions {
  private CheckpointingOptions() {}

  /** What happens to retained checkpoints when a job is cancelled. */
  public enum ExternalizedRetention {
    DELETE_ON_CANCELLATION,
    RETAIN_ON_CANCELLATION
  }

  public static final ConfigOption<String> CHECKPOINTS_DIRECTORY =
      stringOption(
          "state.checkpoints.dir",
          null,
          "Where checkpoints are written (file://, hdfs:// or s3:// URI).");

  public static final ConfigOption<String> SAVEPOINT_DIRECTORY =
      stringOption(
              "state.savepoints.dir",
              null,
              "Default directory for savepoints: an absolute URI on file://, hdfs:// or s3://.")
          .checkedBy(
              OptionRange.of(
                  StorageUriForm::isAbsolute, "an absolute URI (" + StorageUriForm.EXAMPLES + ")"));

  public static final ConfigOption<Integer> NUM_RETAINED =
      intOption("state.checkpoints.num-retained", 1, "Completed checkpoints kept per job.")
          .atLeast(1);

  public static final ConfigOption<Duration> INTERVAL =
      durationOption(
              "execution.checkpointing.interval",
              null,
              "Time between checkpoint triggers; unset disables checkpointing.")
          .positive();

  public static final ConfigOption<Duration> TIMEOUT =
      durationOption(
              "execution.checkpointing.timeout",
              Duration.ofMinutes(10),
              "A checkpoint not complete after this long is aborted.")
          .positive();

  public static final ConfigOption<Integer> MAX_CONCURRENT =
      intOption(
              "execution.checkpointing.max-concurrent-checkpoints",
              1,
              "Checkpoints in flight at once.")
          .atLeast(1);

  public static final ConfigOption<Integer> TOLERABLE_FAILURES =
      intOption(
              "execution.checkpointing.tolerable-failed-checkpoints",
              Integer.MAX_VALUE,
              "Consecutive failed checkpoints a job survives; one more fails the job.")
          .atLeast(0);

  public static final ConfigOption<ExternalizedRetention> EXTERNALIZED_RETENTION =
      enumOption(
          "execution.checkpointing.externalized-checkpoint-retention",
          ExternalizedRetention.class,
          ExternalizedRetention.DELETE_ON_CANCELLATION,
          "Whether cancelling a job keeps its retained checkpoints.");
}
