package io.baton.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.it.HaCluster.JobManagerProcess;
import java.util.ArrayList;
import java.util.List;

/**
 * Every subtask's attempt number as a JobManager reports it over REST, vertex by vertex: an adopted
 * job keeps them, a restarted one counts them up.
 */
final class SubtaskAttempts {
  private SubtaskAttempts() {}

  /** The attempt numbers of the job's subtasks, in the order of its vertices and subtasks. */
  static List<Integer> of(JobManagerProcess jobManager, String jobId) {
    return subtasks(jobManager, jobId).stream().map(s -> s.get("attempt").asInt()).toList();
  }

  /**
   * Each subtask's entry in its vertex's {@code /subtasktimes} (attempt, TaskManager, times), in
   * the order of the job's vertices and subtasks.
   */
  static List<JsonNode> subtasks(JobManagerProcess jobManager, String jobId) {
    List<JsonNode> subtasks = new ArrayList<>();
    for (JsonNode vertex : jobManager.rest().getOk("/jobs/" + jobId).get("vertices")) {
      JsonNode times =
          jobManager
              .rest()
              .getOk("/jobs/" + jobId + "/vertices/" + vertex.get("id").asText() + "/subtasktimes");
      times.get("subtasks").forEach(subtasks::add);
    }
    return subtasks;
  }
}
