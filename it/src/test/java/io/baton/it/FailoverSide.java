package io.baton.it;

import static io.baton.it.FailoverComparisonSettings.TERMINAL;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.OptionalLong;

/** One cluster of {@link FlinkFailoverBenchmark}, as the failover loop drives it. */
interface FailoverSide extends AutoCloseable {
  String name();

  /** Starts two JobManagers, a TaskManager and the job; returns once it checkpointed. */
  void start() throws Exception;

  /** Notes the leader and what it published; waits until both JobManagers contend. */
  void beforeKill() throws Exception;

  void killLeader() throws Exception;

  /** The ZooKeeper write time of the new leader's published address, once there is one. */
  OptionalLong newLeaderPublished() throws Exception;

  /** Whether the new leader's REST reports the recovered job with every task RUNNING. */
  boolean recovered() throws Exception;

  /** The REST API of the JobManager that leads now. */
  RestApi leaderRest() throws Exception;

  /** Starts a replacement JobManager; waits until it contends and the job checkpointed. */
  void restoreShape() throws Exception;

  /** The id of the job {@link #start} submitted. */
  String jobId();

  /** The job's state, as the side's REST API reports it now. */
  String jobState() throws Exception;

  default boolean jobEnded() throws Exception {
    return TERMINAL.contains(jobState());
  }

  /** Waits for the job to end; returns its final state. */
  default String awaitEnd(Duration deadline) {
    String[] state = {""};
    Awaits.until(
        name() + " job " + jobId() + " ended",
        deadline,
        () -> {
          state[0] = jobState();
          return TERMINAL.contains(state[0]);
        });
    return state[0];
  }

  LedgerVerifier.Result verify() throws Exception;

  String logsTail(int charsPerProcess);

  @Override
  void close();

  /** RUNNING, and every vertex has as many RUNNING tasks as its parallelism: same for both. */
  static boolean allTasksRunning(JsonNode job) {
    if (job == null || !"RUNNING".equals(job.path("state").asText())) {
      return false;
    }
    JsonNode vertices = job.path("vertices");
    if (!vertices.isArray() || vertices.isEmpty()) {
      return false;
    }
    for (JsonNode vertex : vertices) {
      int parallelism = vertex.path("parallelism").asInt(-1);
      if (parallelism <= 0 || vertex.path("tasks").path("RUNNING").asInt(0) != parallelism) {
        return false;
      }
    }
    return true;
  }
}
