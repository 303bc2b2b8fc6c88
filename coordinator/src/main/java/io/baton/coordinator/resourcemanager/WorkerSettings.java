package io.baton.coordinator.resourcemanager;

import io.baton.common.config.Configuration;
import io.baton.common.config.ResourceManagerOptions;
import io.baton.common.config.TaskManagerOptions;
import java.time.Duration;

/**
 * How an active resource manager sizes its workers, read from the cluster configuration.
 *
 * @param slotsPerWorker {@code taskmanager.numberOfTaskSlots}: what each started worker offers
 * @param idleTimeout a started worker without allocated slot for this long is stopped
 * @param maxSlots no worker is started beyond this many slots in all
 * @param redundantWorkers spare workers kept started beyond the slots jobs wait for
 * @param startRetryInterval the pause after a failed start before the next start
 * @param registrationTimeout a started worker not registered by then counts as failed to start
 */
public record WorkerSettings(
    int slotsPerWorker,
    Duration idleTimeout,
    int maxSlots,
    int redundantWorkers,
    Duration startRetryInterval,
    Duration registrationTimeout) {

  public static WorkerSettings fromConfiguration(Configuration config) {
    return new WorkerSettings(
        config.get(TaskManagerOptions.NUM_TASK_SLOTS),
        config.get(ResourceManagerOptions.TASK_MANAGER_TIMEOUT),
        config.get(ResourceManagerOptions.MAX_SLOTS),
        config.get(ResourceManagerOptions.REDUNDANT_TASK_MANAGERS),
        config.get(ResourceManagerOptions.START_WORKER_RETRY_INTERVAL),
        config.get(ResourceManagerOptions.WORKER_REGISTRATION_TIMEOUT));
  }

  /** The defaults (for a standalone resource manager, which reads none of them). */
  public static WorkerSettings defaults() {
    return fromConfiguration(new Configuration());
  }
}
