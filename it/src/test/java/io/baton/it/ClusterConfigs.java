package io.baton.it;

import io.baton.common.config.Configuration;
import io.baton.common.config.CoreOptions;
import io.baton.common.config.HeartbeatOptions;
import io.baton.common.config.JobManagerOptions;
import io.baton.common.config.RestOptions;
import io.baton.common.config.RestartStrategyOptions;
import io.baton.common.config.TaskManagerOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Configurations for clusters on loopback with short heartbeats, as the tests use them. */
final class ClusterConfigs {
  private ClusterConfigs() {}

  /** A JobManager on free ports, heartbeats every 250 ms, TaskManagers lost after 3 s. */
  static Configuration jobManager(Path workDir) {
    return new Configuration()
        .set(JobManagerOptions.ADDRESS, "127.0.0.1")
        .set(JobManagerOptions.BIND_HOST, "127.0.0.1")
        .set(JobManagerOptions.PORT, 0)
        .set(RestOptions.ADDRESS, "127.0.0.1")
        .set(RestOptions.BIND_ADDRESS, "127.0.0.1")
        .set(RestOptions.PORT, 0)
        .set(HeartbeatOptions.INTERVAL, Duration.ofMillis(250))
        .set(HeartbeatOptions.TIMEOUT, Duration.ofSeconds(3))
        .set(RestartStrategyOptions.TYPE, RestartStrategyOptions.Type.FIXED_DELAY)
        .set(RestartStrategyOptions.FIXED_DELAY_ATTEMPTS, 5)
        .set(RestartStrategyOptions.FIXED_DELAY_DELAY, Duration.ofMillis(200))
        .set(JobManagerOptions.SLOT_REQUEST_TIMEOUT, Duration.ofSeconds(30))
        .set(CoreOptions.TMP_DIRS, workDir.resolve("jm-tmp").toString());
  }

  /** A TaskManager that registers with the JobManager at {@code jobManagerRpcPort}. */
  static Configuration taskManager(Path workDir, int jobManagerRpcPort, int slots, String name) {
    return jobManager(workDir)
        .set(JobManagerOptions.PORT, jobManagerRpcPort)
        .set(TaskManagerOptions.HOST, "127.0.0.1")
        .set(TaskManagerOptions.BIND_HOST, "127.0.0.1")
        .set(TaskManagerOptions.RPC_PORT, 0)
        .set(TaskManagerOptions.NUM_TASK_SLOTS, slots)
        .set(CoreOptions.TMP_DIRS, workDir.resolve(name + "-tmp").toString());
  }

  /** The configuration as {@code -Dkey=value} arguments for a process's command line. */
  static List<String> asDynamicProperties(Configuration config) {
    List<String> args = new ArrayList<>();
    for (Map.Entry<String, String> e : config.toMap().entrySet()) {
      args.add("-D" + e.getKey() + "=" + e.getValue());
    }
    return args;
  }
}
