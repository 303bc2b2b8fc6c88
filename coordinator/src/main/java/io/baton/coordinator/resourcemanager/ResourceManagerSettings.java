package io.baton.coordinator.resourcemanager;

import io.baton.common.config.Configuration;
import io.baton.common.config.HeartbeatOptions;
import io.baton.common.config.IllegalConfigurationException;
import io.baton.common.config.JobManagerOptions;
import java.time.Duration;

/** The resource manager's timing, read from the cluster configuration. */
public record ResourceManagerSettings(
    Duration heartbeatInterval, Duration heartbeatTimeout, Duration slotRequestTimeout) {

  public ResourceManagerSettings {
    if (heartbeatInterval.isZero() || heartbeatInterval.isNegative()) {
      throw new IllegalConfigurationException(
          "configuration key '" + HeartbeatOptions.INTERVAL.key() + "' must be positive");
    }
    if (heartbeatTimeout.compareTo(heartbeatInterval) <= 0) {
      throw new IllegalConfigurationException(
          "configuration key '"
              + HeartbeatOptions.TIMEOUT.key()
              + "' ("
              + HeartbeatOptions.TIMEOUT.print(heartbeatTimeout)
              + ") must be longer than '"
              + HeartbeatOptions.INTERVAL.key()
              + "' ("
              + HeartbeatOptions.INTERVAL.print(heartbeatInterval)
              + ")");
    }
  }

  public static ResourceManagerSettings fromConfiguration(Configuration config) {
    return new ResourceManagerSettings(
        config.get(HeartbeatOptions.INTERVAL),
        config.get(HeartbeatOptions.TIMEOUT),
        config.get(JobManagerOptions.SLOT_REQUEST_TIMEOUT));
  }
}
