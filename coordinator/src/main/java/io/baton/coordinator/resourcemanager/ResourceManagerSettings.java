package io.baton.coordinator.resourcemanager;

import io.baton.common.config.Configuration;
import io.baton.common.config.HeartbeatOptions;
import io.baton.common.config.JobManagerOptions;
import java.time.Duration;

/**
 * The resource manager's timing and worker sizing, read from the cluster configuration (whose
 * start-up check keeps the interval positive and the timeout longer than the interval).
 */
public record ResourceManagerSettings(
    Duration heartbeatInterval,
    Duration heartbeatTimeout,
    Duration slotRequestTimeout,
    WorkerSettings workers) {

  /** With the default worker settings (which only an active driver reads). */
  public ResourceManagerSettings(
      Duration heartbeatInterval, Duration heartbeatTimeout, Duration slotRequestTimeout) {
    this(heartbeatInterval, heartbeatTimeout, slotRequestTimeout, WorkerSettings.defaults());
  }

  public static ResourceManagerSettings fromConfiguration(Configuration config) {
    return new ResourceManagerSettings(
        config.get(HeartbeatOptions.INTERVAL),
        config.get(HeartbeatOptions.TIMEOUT),
        config.get(JobManagerOptions.SLOT_REQUEST_TIMEOUT),
        WorkerSettings.fromConfiguration(config));
  }
}
