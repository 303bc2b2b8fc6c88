package io.baton.drill;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The drill's job as its leader reports it: {@code GET /jobs/{id}} and, per vertex, {@code GET
 * /jobs/{id}/vertices/{vertexId}/subtasktimes} (when each subtask's current attempt was created and
 * became RUNNING, and on which TaskManager).
 *
 * @param restoredCheckpoint the checkpoint the current attempt restored from, -1 when none
 * @param restoreTimestamp when it restored, -1 when it did not
 * @param recoveries how many times a new leader recovered the job
 * @param recoveredFromCheckpoint the checkpoint the latest recovery by a new leader restored from
 *     ({@code restoredFrom}), -1 when none
 * @param reconciliations how many times a new leader adopted the job's running tasks
 * @param reconciledAt when a new leader last adopted them (its {@code ADOPTED} event), -1 never
 */
record JobSnapshot(
    String state,
    List<Subtask> subtasks,
    long restoredCheckpoint,
    long restoreTimestamp,
    long recoveries,
    long recoveredFromCheckpoint,
    long reconciliations,
    long reconciledAt) {

  /** One subtask's current attempt; {@code running} is -1 until it ran. */
  record Subtask(
      int vertex, int index, String status, String taskManagerId, long created, long running) {}

  static Optional<JobSnapshot> fetch(ClusterRest rest, String leaderUrl, String jobId) {
    Optional<JsonNode> job = rest.get(leaderUrl, "/jobs/" + jobId);
    if (job.isEmpty() || !job.get().has("vertices")) {
      return Optional.empty(); // not the leader (any more), or not answering
    }
    List<Subtask> subtasks = new ArrayList<>();
    for (JsonNode vertex : job.get().path("vertices")) {
      // Baton's vertex number; "id" is Flink's 32-hex form of it
      int id = vertex.path("baton-index").asInt();
      Optional<JsonNode> times =
          rest.get(leaderUrl, "/jobs/" + jobId + "/vertices/" + id + "/subtasktimes");
      if (times.isEmpty()) {
        return Optional.empty();
      }
      for (JsonNode s : times.get().path("subtasks")) {
        JsonNode ts = s.path("timestamps");
        subtasks.add(
            new Subtask(
                id,
                s.path("subtask").asInt(),
                s.path("status").asText(),
                s.path("taskmanager-id").asText(null),
                positiveOr(ts.path("CREATED").asLong(0)),
                positiveOr(ts.path("RUNNING").asLong(0))));
      }
    }
    JsonNode restored = job.get().path("restored-checkpoint");
    return Optional.of(
        new JobSnapshot(
            job.get().path("state").asText(),
            List.copyOf(subtasks),
            restored.isObject() ? restored.path("id").asLong(-1) : -1,
            restored.isObject() ? restored.path("restore_timestamp").asLong(-1) : -1,
            job.get().path("recoveries").asLong(0),
            job.get().path("restoredFrom").isObject()
                ? job.get().path("restoredFrom").path("checkpointId").asLong(-1)
                : -1,
            job.get().path("reconciliations").asLong(0),
            lastAdoption(job.get())));
  }

  private static long lastAdoption(JsonNode job) {
    long at = -1;
    for (JsonNode event : job.path("events")) {
      if (event.path("type").asText().equals("ADOPTED")) {
        at = Math.max(at, event.path("timestamp").asLong(-1));
      }
    }
    return at;
  }

  /** Whether a new leader adopted the running tasks at or after {@code since}. */
  boolean reconciledSince(long since) {
    return reconciledAt >= since && allRunning();
  }

  boolean allRunning() {
    return !subtasks.isEmpty() && subtasks.stream().allMatch(s -> s.status().equals("RUNNING"));
  }

  boolean finished() {
    return state.equals("FINISHED");
  }

  boolean terminal() {
    return state.equals("FINISHED") || state.equals("FAILED") || state.equals("CANCELED");
  }

  /** Whether the job started new attempts of its subtasks at or after {@code since}. */
  boolean restartedSince(long since) {
    return subtasks.stream().anyMatch(s -> s.created() >= since);
  }

  /**
   * When every subtask ran again after {@code since}: the latest RUNNING time of the current
   * attempts, once all of them run and were all started at or after since.
   */
  OptionalLong allRunningAgainAt(long since) {
    if (!allRunning() || subtasks.stream().anyMatch(s -> s.created() < since)) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(subtasks.stream().mapToLong(Subtask::running).max().orElse(-1));
  }

  /** The TaskManagers running the job's subtasks. */
  Set<String> taskManagerIds() {
    return subtasks.stream()
        .map(Subtask::taskManagerId)
        .filter(id -> id != null && !id.isEmpty())
        .collect(Collectors.toSet());
  }

  private static long positiveOr(long millis) {
    return millis > 0 ? millis : -1;
  }
}
