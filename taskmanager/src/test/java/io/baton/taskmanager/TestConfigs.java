package io.baton.taskmanager;

import io.baton.common.config.Configuration;
import io.baton.common.config.CoreOptions;
import io.baton.common.config.HeartbeatOptions;
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
}
