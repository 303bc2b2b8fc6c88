package io.baton.it;

import java.nio.file.Path;
import java.util.List;

/**
 * How {@link FlinkHeartbeatsBenchmark} starts one side's processes (Baton's or Apache Flink's): a
 * JobManager, one JVM of many TaskManagers, and a job of two vertices. Every process it starts goes
 * to the list it was given, so the benchmark can stop it.
 */
interface HeartbeatsSide {

  /** A started JobManager: its process, its REST API, its GC log, and the port TaskManagers use. */
  record JobManager(JvmProcess process, RestApi rest, Path gcLog, int rpcPort, Path confDir) {}

  /** "Baton" or "Flink". */
  String name();

  /**
   * Starts a JobManager (non-HA) whose JVM has {@code jvmOptions}; {@code scenario} names its log
   * files, {@code dir} is its own scratch directory.
   */
  JobManager startJobManager(String scenario, Path dir, List<String> jvmOptions, Path logDir)
      throws Exception;

  /**
   * Starts {@code count} TaskManagers with {@code slots} slots each in one JVM; with {@code
   * runTasks} they take and run (Flink) or acknowledge and report RUNNING (Baton) the tasks the
   * JobManager submits.
   */
  JvmProcess startTaskManagers(
      JobManager jobManager,
      String scenario,
      Path dir,
      List<String> jvmOptions,
      Path logDir,
      int count,
      int slots,
      boolean runTasks)
      throws Exception;

  /** Submits the job of two vertices of {@code parallelism} subtasks each; returns its id. */
  String submitJob(JobManager jobManager, Path dir, int parallelism) throws Exception;

  /**
   * About how many threads the TaskManagers' JVM needs for {@code subtasks} running subtasks on
   * {@code taskManagers} TaskManagers: the benchmark does not start it when the machine has fewer
   * left, since other processes on it would fail to start theirs.
   */
  default long threadsNeeded(int taskManagers, int subtasks) {
    return 0;
  }
}
