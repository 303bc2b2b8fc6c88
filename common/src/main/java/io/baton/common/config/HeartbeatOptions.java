package io.baton.common.config;

import static io.baton.common.config.ConfigOption.durationOption;

import java.time.Duration;

/** Heartbeats between TaskManagers and the JobManager. */
public final class HeartbeatOptions {
  private HeartbeatOptions() {}

  public static final ConfigOption<Duration> INTERVAL =
      durationOption(
              "heartbeat.interval",
              Duration.ofSeconds(10),
              "How often a TaskManager heartbeats to the JobManager.")
          .positive();

  public static final ConfigOption<Duration> TIMEOUT =
      durationOption(
              "heartbeat.timeout",
              Duration.ofSeconds(50),
              "Silence after which the JobManager releases a TaskManager (and fails over its tasks), and a TaskManager re-registers.")
          .positive();
}
