package io.baton.it;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the JobManagers of an {@link HaCluster} report, read with patience: on a loaded machine a
 * JobManager that just took over may take seconds to answer, which is a reason to ask again, not a
 * failure.
 */
final class LeaderReads {
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);

  private LeaderReads() {}

  /**
   * Waits until the leader of the moment reports the job in {@code state}; fails at once when it
   * reports another terminal state.
   */
  static void awaitState(HaCluster cluster, String jobId, String state, Duration deadline) {
    await("job " + jobId + " " + state + " on the leader")
        .atMost(deadline)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> state.equals(stateOnLeader(cluster, jobId, state).orElse(null)));
  }

  /**
   * Waits until the leader reports from which checkpoint the job's latest recovery restored (it
   * counts the recovery first, then picks the checkpoint) and returns that {@code restoredFrom}.
   */
  static JsonNode awaitRestoredFrom(HaCluster cluster, String jobId, Duration deadline) {
    JsonNode[] restoredFrom = {null};
    Awaits.until(
        "the checkpoint " + jobId + "'s recovery restored from",
        deadline,
        () -> {
          JsonNode r = job(cluster, jobId).map(j -> j.get("restoredFrom")).orElse(null);
          restoredFrom[0] = r;
          return r != null && !r.isNull();
        });
    return restoredFrom[0];
  }

  /**
   * Why the leader's checkpoint history says each checkpoint was passed over on restore, by
   * checkpoint id. The history keeps the latest ten checkpoints, so read it right after the
   * restore.
   */
  static Map<Long, String> skippedOnRestore(HaCluster cluster, String jobId) {
    Map<Long, String> skipped = new HashMap<>();
    for (JsonNode entry : cluster.checkpoints(jobId).get("history")) {
      JsonNode why = entry.get("skipped_on_restore");
      if (why != null && !why.isNull()) {
        skipped.put(entry.get("id").asLong(), why.asText());
      }
    }
    return skipped;
  }

  /** The fencing token {@code jm} reports in {@code GET /ha} (it must lead). */
  static String leaderTokenDigest(HaCluster.JobManagerProcess jm, Duration deadline) {
    String[] token = {null};
    Awaits.until(
        jm + " answers GET /ha as the leader",
        deadline,
        () -> {
          token[0] = jm.ha().filter(HaStatus::leader).map(HaStatus::leaderTokenDigest).orElse(null);
          return token[0] != null;
        });
    return token[0];
  }

  private static Optional<String> stateOnLeader(HaCluster cluster, String jobId, String wanted) {
    Optional<JsonNode> job = job(cluster, jobId);
    if (job.isEmpty() || !job.get().has("state")) {
      return Optional.empty();
    }
    String now = job.get().get("state").asText();
    if (!now.equals(wanted)
        && (now.equals("FAILED") || now.equals("CANCELED") || now.equals("FINISHED"))) {
      throw new AssertionError(
          "job " + jobId + " ended " + now + " instead of " + wanted + ": " + job.get());
    }
    return Optional.of(now);
  }

  /** {@code GET /jobs/{id}} on the leader, or empty when there is none or it does not answer. */
  private static Optional<JsonNode> job(HaCluster cluster, String jobId) {
    return cluster
        .currentLeader()
        .flatMap(
            leader -> {
              try {
                RestApi.Response r = leader.rest().get("/jobs/" + jobId, ANSWER_TIMEOUT);
                return r.status() == 200 ? Optional.ofNullable(r.body()) : Optional.empty();
              } catch (RuntimeException slowOrGone) {
                return Optional.empty();
              }
            });
  }
}
