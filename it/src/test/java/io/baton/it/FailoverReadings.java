package io.baton.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.OptionalLong;

/**
 * What the failover benchmarks read from a leader's REST API after a kill, the same way on Baton
 * and on Flink (their {@code /checkpoints} and {@code /subtasktimes} answers have the same shape):
 * when the first checkpoint completed after the kill (when exactly-once output commits again), and
 * how many tasks were started again after it (restarted ones; adopted ones keep their start).
 */
final class FailoverReadings {
  private FailoverReadings() {}

  /**
   * The completion time ({@code latest_ack_timestamp}) of the earliest checkpoint (not savepoint)
   * that completed at or after {@code since}, epoch millis.
   */
  static OptionalLong firstCheckpointCompletedSince(RestApi leader, String jobId, long since) {
    long first = Long.MAX_VALUE;
    for (JsonNode entry : leader.getOk("/jobs/" + jobId + "/checkpoints").path("history")) {
      long completed = entry.path("latest_ack_timestamp").asLong(-1);
      if (entry.path("status").asText().equals("COMPLETED")
          && !entry.path("is_savepoint").asBoolean()
          && completed >= since
          && completed < first) {
        first = completed;
      }
    }
    return first == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(first);
  }

  /** How many of the job's subtasks turned RUNNING at or after {@code since}, epoch millis. */
  static int tasksStartedSince(RestApi leader, String jobId, long since) {
    int started = 0;
    for (JsonNode vertex : leader.getOk("/jobs/" + jobId).path("vertices")) {
      JsonNode times =
          leader.getOk(
              "/jobs/" + jobId + "/vertices/" + vertex.path("id").asText() + "/subtasktimes");
      for (JsonNode subtask : times.path("subtasks")) {
        if (subtask.path("timestamps").path("RUNNING").asLong(0) >= since) {
          started++;
        }
      }
    }
    return started;
  }
}
