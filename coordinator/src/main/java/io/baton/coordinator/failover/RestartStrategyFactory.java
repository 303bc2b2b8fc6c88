package io.baton.coordinator.failover;

import io.baton.common.config.CheckpointingOptions;
import io.baton.common.config.Configuration;
import io.baton.common.config.HeartbeatOptions;
import io.baton.common.config.IllegalConfigurationException;
import io.baton.common.config.RestartStrategyOptions;
import io.baton.common.config.RestartStrategyOptions.Type;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Random;

/**
 * Builds a job's {@link RestartStrategy} from the cluster configuration with the job's own settings
 * laid over it. Unset {@code restart-strategy.type} means exponential-delay when checkpointing is
 * on and none otherwise, as in Flink.
 */
public final class RestartStrategyFactory {
  private final Clock clock;
  private final Random random;

  public RestartStrategyFactory(Clock clock, Random random) {
    this.clock = clock;
    this.random = random;
  }

  /**
   * The strategy for one job.
   *
   * @throws IllegalConfigurationException naming the key with a bad value
   */
  public RestartStrategy create(Configuration clusterConfig, Map<String, String> jobConfig) {
    Configuration config = clusterConfig.withOverrides(jobConfig);
    Type type =
        config
            .getOptional(RestartStrategyOptions.TYPE)
            .orElse(
                config.contains(CheckpointingOptions.INTERVAL)
                    ? Type.EXPONENTIAL_DELAY
                    : Type.NONE);
    try {
      return switch (type) {
        case NONE -> new NoRestartStrategy();
        case FIXED_DELAY ->
            new FixedDelayRestartStrategy(
                config.get(RestartStrategyOptions.FIXED_DELAY_ATTEMPTS),
                config.get(RestartStrategyOptions.FIXED_DELAY_DELAY));
        case EXPONENTIAL_DELAY ->
            new ExponentialDelayRestartStrategy(
                config.get(RestartStrategyOptions.EXPONENTIAL_INITIAL_BACKOFF),
                config.get(RestartStrategyOptions.EXPONENTIAL_MAX_BACKOFF),
                config.get(RestartStrategyOptions.EXPONENTIAL_MULTIPLIER),
                config.get(RestartStrategyOptions.EXPONENTIAL_JITTER),
                config.get(RestartStrategyOptions.EXPONENTIAL_RESET_THRESHOLD),
                config.get(RestartStrategyOptions.EXPONENTIAL_ATTEMPTS),
                clock,
                random);
        case FAILURE_RATE ->
            new FailureRateRestartStrategy(
                config.get(RestartStrategyOptions.FAILURE_RATE_MAX_FAILURES),
                config.get(RestartStrategyOptions.FAILURE_RATE_INTERVAL),
                config.get(RestartStrategyOptions.FAILURE_RATE_DELAY),
                clock);
      };
    } catch (IllegalArgumentException e) {
      throw new IllegalConfigurationException(
          "restart-strategy." + RestartStrategyOptions.TYPE.print(type) + ": " + e.getMessage(), e);
    }
  }

  static String print(Duration d) {
    return HeartbeatOptions.INTERVAL.print(d);
  }
}
