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
    List<Integer> attempts = new ArrayList<>();
    for (JsonNode vertex : jobManager.rest().getOk("/jobs/" + jobId).get("vertices")) {
      JsonNode times =
          jobManager
              .rest()
              .getOk("/jobs/" + jobId + "/vertices/" + vertex.get("id").asText() + "/subtasktimes");
      times.get("subtasks").forEach(s -> attempts.add(s.get("attempt").asInt()));
    }
    return attempts;
  }
}
