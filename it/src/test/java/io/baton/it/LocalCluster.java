package io.baton.it;

import io.baton.common.config.Configuration;
import io.baton.coordinator.JobManager;
import io.baton.taskmanager.TaskManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One JobManager and some TaskManagers in this JVM, talking gRPC and HTTP over loopback as separate
 * processes would.
 */
final class LocalCluster implements AutoCloseable {
  private final Path workDir;
  private final UnaryOperator<Configuration> settings;
  private final JobManager jobManager;
  private final List<TaskManager> taskManagers = new ArrayList<>();
  private final RestApi rest;

  private LocalCluster(Path workDir, UnaryOperator<Configuration> settings, JobManager jobManager) {
    this.workDir = workDir;
    this.settings = settings;
    this.jobManager = jobManager;
    this.rest = new RestApi("127.0.0.1", jobManager.restPort());
  }

  /** Starts a JobManager and {@code taskManagers} TaskManagers with {@code slots} slots each. */
  static LocalCluster start(Path workDir, int taskManagers, int slots) throws Exception {
    return start(workDir, taskManagers, slots, config -> config);
  }

  /**
   * Like {@link #start(Path, int, int)}, with {@code settings} applied to the configuration of
   * every process (storage locations, restart strategy, ...).
   */
  static LocalCluster start(
      Path workDir, int taskManagers, int slots, UnaryOperator<Configuration> settings)
      throws Exception {
    LocalCluster cluster =
        new LocalCluster(
            workDir,
            settings,
            JobManager.start(settings.apply(ClusterConfigs.jobManager(workDir))));
    try {
      for (int i = 0; i < taskManagers; i++) {
        cluster.addTaskManager(slots);
      }
      cluster.awaitTaskManagers(taskManagers);
      return cluster;
    } catch (Exception e) {
      cluster.close();
      throw e;
    }
  }

  TaskManager addTaskManager(int slots) throws Exception {
    String name = "tm" + taskManagers.size();
    Configuration config =
        settings.apply(ClusterConfigs.taskManager(workDir, jobManager.rpcPort(), slots, name));
    TaskManager tm = TaskManager.start(config);
    taskManagers.add(tm);
    return tm;
  }

  /**
   * Starts a TaskManager in a JVM of its own (so a test can SIGKILL it) that registers with this
   * cluster's JobManager.
   */
  JvmProcess startTaskManagerProcess(String name, int slots, List<String> jvmOptions)
      throws java.io.IOException {
    Path confDir = workDir.resolve("empty-conf");
    java.nio.file.Files.createDirectories(confDir);
    List<String> args = new ArrayList<>(List.of("--configDir", confDir.toString()));
    args.addAll(
        ClusterConfigs.asDynamicProperties(
            settings.apply(
                ClusterConfigs.taskManager(workDir, jobManager.rpcPort(), slots, name))));
    return JvmProcess.start(
        name,
        "io.baton.taskmanager.TaskManagerEntrypoint",
        workDir.resolve("logs"),
        jvmOptions,
        args);
  }

  void awaitTaskManagers(int count) {
    Awaits.until(
        "TaskManagers registered: " + count,
        java.time.Duration.ofSeconds(90),
        () -> rest.getOk("/overview").get("taskmanagers").asInt() >= count);
  }

  RestApi rest() {
    return rest;
  }

  JobManager jobManager() {
    return jobManager;
  }

  int rpcPort() {
    return jobManager.rpcPort();
  }

  @Override
  public void close() throws Exception {
    Exception failure = null;
    for (TaskManager tm : taskManagers) {
      try {
        tm.close();
      } catch (Exception e) {
        failure = e;
      }
    }
    try {
      jobManager.close();
    } catch (Exception e) {
      failure = e;
    }
    if (failure != null) {
      throw failure;
    }
  }
}
