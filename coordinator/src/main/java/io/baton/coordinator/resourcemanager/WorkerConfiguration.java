package io.baton.coordinator.resourcemanager;

import io.baton.common.config.JobManagerOptions;
import io.baton.common.config.TaskManagerOptions;
import io.baton.common.ids.TaskManagerId;
import java.util.Map;
import java.util.TreeMap;

/** The configuration an active driver gives the worker it starts. */
public final class WorkerConfiguration {
  private WorkerConfiguration() {}

  /**
   * The JobManager's configuration, naming the worker (so it is recognised when it registers) and
   * reaching the JobManager's bound RPC port; each worker picks a free RPC port of its own, since
   * several share a host.
   */
  public static Map<String, String> forWorker(
      Map<String, String> jobManagerConfiguration, TaskManagerId id, int jobManagerRpcPort) {
    Map<String, String> values = new TreeMap<>(jobManagerConfiguration);
    values.put(TaskManagerOptions.RESOURCE_ID.key(), id.value());
    values.put(JobManagerOptions.PORT.key(), Integer.toString(jobManagerRpcPort));
    values.put(TaskManagerOptions.RPC_PORT.key(), "0");
    return values;
  }
}
