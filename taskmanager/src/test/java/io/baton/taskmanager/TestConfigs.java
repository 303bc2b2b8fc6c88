package io.baton.taskmanager;

import io.baton.common.config.Configuration;
import io.baton.common.config.CoreOptions;
import io.baton.common.config.HeartbeatOptions;
import io.baton.common.config.HighAvailabilityOptions;
import io.baton.common.config.JobManagerOptions;
import io.baton.common.config.TaskManagerOptions;
import java.nio.file.Path;
import java.time.Duration;

/** TaskManager configurations for loopback tests: short heartbeats, scratch files in tmpDir. */
final class TestConfigs {
  private TestConfigs() {}

  static Configuration taskManager(int jobManagerPort, Path tmpDir) {
    return new Configuration()
        .set(JobManagerOptions.ADDRESS, "127.0.0.1")
        .set(JobManagerOptions.PORT, jobManagerPort)
        .set(TaskManagerOptions.HOST, "127.0.0.1")
        .set(TaskManagerOptions.BIND_HOST, "127.0.0.1")
        .set(TaskManagerOptions.RPC_PORT, 0)
        .set(TaskManagerOptions.NUM_TASK_SLOTS, 2)
        .set(TaskManagerOptions.REGISTRATION_TIMEOUT, Duration.ofSeconds(30))
        .set(TaskManagerOptions.TASK_CANCELLATION_TIMEOUT, Duration.ofSeconds(5))
        .set(HeartbeatOptions.INTERVAL, Duration.ofMillis(100))
        .set(HeartbeatOptions.TIMEOUT, Duration.ofMillis(1000))
        .set(CoreOptions.TMP_DIRS, tmpDir.toString());
  }

  /**
   * A TaskManager in HA mode that finds its JobManager through the ZooKeeper at {@code quorum},
   * under cluster {@code clusterId}; no JobManager address is configured.
   */
  static Configuration haTaskManager(String quorum, String clusterId, Path tmpDir) {
    return taskManager(1, tmpDir)
        .set(JobManagerOptions.ADDRESS, "no-such-host.invalid")
        .set(HighAvailabilityOptions.TYPE, HighAvailabilityOptions.Type.ZOOKEEPER)
        .set(HighAvailabilityOptions.QUORUM, quorum)
        .set(HighAvailabilityOptions.CLUSTER_ID, clusterId)
        .set(HighAvailabilityOptions.CONNECTION_TIMEOUT, Duration.ofSeconds(5))
        .set(HighAvailabilityOptions.SESSION_TIMEOUT, Duration.ofSeconds(10));
  }
}
