package io.baton.coordinator;

import io.baton.common.config.Configuration;
import io.baton.common.config.ResourceManagerOptions;
import io.baton.common.config.TmpDirs;
import io.baton.coordinator.resourcemanager.StandaloneWorkerDriver;
import io.baton.coordinator.resourcemanager.WorkerDriver;
import io.baton.coordinator.resourcemanager.WorkerDriverFactory;
import io.baton.coordinator.resourcemanager.process.ProcessWorkerDriver;
import io.baton.coordinator.resourcemanager.process.WorkerLaunch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Makes the worker driver {@code resourcemanager.driver} names, one per leadership session (each
 * session's resource manager starts and stops its own workers).
 */
final class WorkerDrivers implements WorkerDriverFactory {
  /** How long a released worker may take to stop after SIGTERM before it is killed. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private final Configuration config;

  WorkerDrivers(Configuration config) {
    this.config = config;
  }

  @Override
  public WorkerDriver create(int jobManagerRpcPort) {
    return switch (config.get(ResourceManagerOptions.DRIVER)) {
      case STANDALONE -> new StandaloneWorkerDriver();
      case PROCESS -> new ProcessWorkerDriver(processLaunch(), jobManagerRpcPort, STOP_GRACE);
    };
  }

  /**
   * Workers run from this JobManager's Java and class path; their logs go next to its log (the
   * distribution's {@code log/}), or under {@code io.tmp.dirs} when it logs elsewhere.
   */
  private WorkerLaunch processLaunch() {
    Path tmp = TmpDirs.first(config);
    String ownLog = System.getProperty("baton.log.file");
    Path logDir =
        ownLog != null && Path.of(ownLog).getParent() != null
            ? Path.of(ownLog).toAbsolutePath().getParent()
            : tmp.resolve("baton-worker-logs");
    String jvmOptions =
        config.getOptional(ResourceManagerOptions.TASK_MANAGER_JVM_OPTIONS).orElse("").trim();
    List<String> options =
        jvmOptions.isEmpty() ? List.of() : Arrays.asList(jvmOptions.split("\\s+"));
    return new WorkerLaunch(
        Path.of(System.getProperty("java.home"), "bin", "java"),
        System.getProperty("java.class.path"),
        options,
        System.getProperty("log4j2.configurationFile"),
        logDir,
        tmp.resolve("baton-workers-" + UUID.randomUUID()),
        config.toMap());
  }
}
