package io.baton.it;

import io.baton.common.config.Configuration;
import io.baton.common.config.CoreOptions;
import io.baton.common.config.HeartbeatOptions;
import io.baton.common.config.JobManagerOptions;
import io.baton.common.config.RestOptions;
import io.baton.it.jobs.SchedulingJob;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Baton's side of {@link FlinkHeartbeatsBenchmark}: a JobManagerEntrypoint JVM (non-HA) and one JVM
 * of {@link SimulatedTaskManagers} speaking Baton's gRPC protocol.
 */
final class BatonHeartbeatsSide implements HeartbeatsSide {
  static final String JOB_DESCRIPTION =
      "io.baton.it.jobs.SchedulingJob (its tasks never run: the simulated TaskManagers only"
          + " acknowledge them and report them RUNNING)";

  private final Duration interval;
  private final Duration timeout;
  private final int maxParallelism;

  /**
   * @param maxParallelism parallelism.max of the JobManager: at least the benchmark job's
   */
  BatonHeartbeatsSide(Duration interval, Duration timeout, int maxParallelism) {
    this.interval = interval;
    this.timeout = timeout;
    this.maxParallelism = maxParallelism;
  }

  @Override
  public String name() {
    return "Baton";
  }

  @Override
  public JobManager startJobManager(String scenario, Path dir, List<String> jvmOptions, Path logDir)
      throws Exception {
    int rpcPort = freePort();
    int restPort = freePort();
    Configuration config =
        ClusterConfigs.jobManager(dir)
            .set(JobManagerOptions.PORT, rpcPort)
            .set(RestOptions.PORT, restPort)
            .set(HeartbeatOptions.INTERVAL, interval)
            .set(HeartbeatOptions.TIMEOUT, timeout)
            .set(CoreOptions.MAX_PARALLELISM, maxParallelism);
    Path confDir = Files.createDirectories(dir.resolve("empty-conf"));
    List<String> args = new ArrayList<>(List.of("--configDir", confDir.toString()));
    args.addAll(ClusterConfigs.asDynamicProperties(config));
    Path gcLog = logDir.resolve("baton-jobmanager-" + scenario + "-gc.log");
    List<String> jvm = new ArrayList<>(jvmOptions);
    jvm.add("-Xlog:gc:file=" + gcLog);
    JvmProcess process =
        JvmProcess.start(
            "baton-jobmanager-" + scenario,
            "io.baton.coordinator.JobManagerEntrypoint",
            logDir,
            jvm,
            args);
    return new JobManager(process, new RestApi("127.0.0.1", restPort), gcLog, rpcPort, confDir);
  }

  @Override
  public JvmProcess startTaskManagers(
      JobManager jobManager,
      String scenario,
      Path dir,
      List<String> jvmOptions,
      Path logDir,
      int count,
      int slots,
      boolean runTasks)
      throws IOException {
    return JvmProcess.start(
        "baton-simulated-taskmanagers-" + scenario,
        "io.baton.it.SimulatedTaskManagers",
        logDir,
        jvmOptions,
        List.of(
            "--jobmanager",
            "127.0.0.1:" + jobManager.rpcPort(),
            "--count",
            Integer.toString(count),
            "--slots",
            Integer.toString(slots),
            "--accept-tasks",
            Boolean.toString(runTasks)));
  }

  @Override
  public String submitJob(JobManager jobManager, Path dir, int parallelism) throws IOException {
    Path jar =
        TestJars.jar(
            Files.createDirectories(dir.resolve("jars")),
            "scheduling-job.jar",
            SchedulingJob.class,
            SchedulingJob.class);
    return jobManager.rest().submit(jar, parallelism, "--rate-per-subtask", "10");
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0)) {
      return probe.getLocalPort();
    }
  }
}
