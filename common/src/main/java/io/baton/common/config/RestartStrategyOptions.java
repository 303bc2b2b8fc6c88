package io.baton.common.config;

import static io.baton.common.config.ConfigOption.doubleOption;
import static io.baton.common.config.ConfigOption.durationOption;
import static io.baton.common.config.ConfigOption.enumOption;
import static io.baton.common.config.ConfigOption.intOption;

import java.time.Duration;

/** What a job does when a task fails or a TaskManager is lost. */
public final class RestartStrategyOptions {
  private RestartStrategyOptions() {}

  /** The restart strategies. */
  public enum Type {
    NONE,
    FIXED_DELAY,
    EXPONENTIAL_DELAY,
    FAILURE_RATE
  }

  public static final ConfigOption<Type> TYPE =
      enumOption(
          "restart-strategy.type",
          Type.class,
          null,
          "Restart strategy; unset: exponential-delay when checkpointing is on, none otherwise.");

  public static final ConfigOption<Integer> FIXED_DELAY_ATTEMPTS =
      intOption("restart-strategy.fixed-delay.attempts", 1, "Restarts before the job fails.")
          .atLeast(0);

  public static final ConfigOption<Duration> FIXED_DELAY_DELAY =
      durationOption(
              "restart-strategy.fixed-delay.delay",
              Duration.ofSeconds(1),
              "Pause before each restart.")
          .atLeast(Duration.ZERO);

  public static final ConfigOption<Duration> EXPONENTIAL_INITIAL_BACKOFF =
      durationOption(
              "restart-strategy.exponential-delay.initial-backoff",
              Duration.ofSeconds(1),
              "Pause before the first restart.")
          .positive();

  public static final ConfigOption<Duration> EXPONENTIAL_MAX_BACKOFF =
      durationOption(
              "restart-strategy.exponential-delay.max-backoff",
              Duration.ofMinutes(1),
              "Longest pause between restarts.")
          .positive();

  public static final ConfigOption<Double> EXPONENTIAL_MULTIPLIER =
      doubleOption(
              "restart-strategy.exponential-delay.backoff-multiplier",
              1.5,
              "Factor the pause grows by after each restart.")
          .atLeast(1.0);

  public static final ConfigOption<Duration> EXPONENTIAL_RESET_THRESHOLD =
      durationOption(
              "restart-strategy.exponential-delay.reset-backoff-threshold",
              Duration.ofHours(1),
              "Running this long without failure resets the pause to the initial backoff.")
          .positive();

  public static final ConfigOption<Double> EXPONENTIAL_JITTER =
      doubleOption(
              "restart-strategy.exponential-delay.jitter-factor",
              0.1,
              "Random share added to or taken from each pause (0..1).")
          .between(0.0, 1.0);

  public static final ConfigOption<Integer> EXPONENTIAL_ATTEMPTS =
      intOption(
              "restart-strategy.exponential-delay.attempts-before-reset-backoff",
              Integer.MAX_VALUE,
              "Restarts allowed before the backoff resets; more fail the job.")
          .atLeast(1);

  public static final ConfigOption<Integer> FAILURE_RATE_MAX_FAILURES =
      intOption(
              "restart-strategy.failure-rate.max-failures-per-interval",
              1,
              "Failures within the interval that fail the job.")
          .atLeast(1);

  public static final ConfigOption<Duration> FAILURE_RATE_INTERVAL =
      durationOption(
              "restart-strategy.failure-rate.failure-rate-interval",
              Duration.ofMinutes(1),
              "The sliding window failures are counted in.")
          .positive();

  public static final ConfigOption<Duration> FAILURE_RATE_DELAY =
      durationOption(
              "restart-strategy.failure-rate.delay",
              Duration.ofSeconds(1),
              "Pause before each restart.")
          .atLeast(Duration.ZERO);
}
