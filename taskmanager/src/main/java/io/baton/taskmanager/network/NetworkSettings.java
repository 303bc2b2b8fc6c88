package io.baton.taskmanager.network;

import io.baton.common.config.Configuration;
import io.baton.common.config.TaskManagerOptions;
import java.time.Duration;

/**
 * The data plane's sizes and timeouts, read and checked once from the TaskManager's configuration.
 *
 * @param bufferSize bytes of one network buffer
 * @param buffersPerChannel credits a consumer grants each of its channels
 * @param buffersPerSubpartition record buffers a producer queues per consumer before it blocks
 * @param bufferTimeout how long a partly filled buffer may wait before it is sent
 * @param partitionRequestTimeout how long a consumer retries a partition that is not there yet
 */
record NetworkSettings(
    int bufferSize,
    int buffersPerChannel,
    int buffersPerSubpartition,
    Duration bufferTimeout,
    Duration partitionRequestTimeout) {

  static NetworkSettings from(Configuration config, Duration partitionRequestTimeout) {
    return new NetworkSettings(
        // the options' ranges keep these positive
        config.get(TaskManagerOptions.BUFFER_SIZE),
        config.get(TaskManagerOptions.BUFFERS_PER_CHANNEL),
        config.get(TaskManagerOptions.BUFFERS_PER_SUBPARTITION),
        config.get(TaskManagerOptions.BUFFER_TIMEOUT),
        partitionRequestTimeout);
  }
}
