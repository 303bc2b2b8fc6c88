package io.baton.it;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.it.HaCluster.JobManagerProcess;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Catches a checkpoint in flight that cannot complete: a TaskManager is frozen with SIGSTOP, then
 * {@code GET /jobs/{id}/checkpoints} is watched until a checkpoint triggered after the freeze is in
 * progress. Its barrier cannot have reached the frozen TaskManager's source, so it cannot complete
 * while the freeze lasts (not merely "the REST API last said one was in progress"). The caller then
 * kills what the scenario kills and thaws or kills the TaskManager.
 */
final class CheckpointInFlight {
  private static final int FREEZE_ATTEMPTS = 10;
  // long enough for a trigger (every 200 ms), short against the 3 s heartbeat timeout
  private static final Duration FREEZE_WINDOW = Duration.ofMillis(1500);

  private CheckpointInFlight() {}

  /** The checkpoint caught in progress, and the latest completed one when it was triggered. */
  record InProgress(long id, long latestCompleted) {}

  /**
   * Freezes {@code victim} and waits for a checkpoint triggered after the freeze to be in progress;
   * returns with the victim frozen. A checkpoint triggered just before the freeze may still be in
   * flight and hold back the next trigger (one at a time): then the victim is thawed, well within
   * the heartbeat timeout, and frozen again once no checkpoint is in flight.
   */
  static InProgress freezeDuringACheckpoint(
      JvmProcess victim, JobManagerProcess leader, String jobId) throws Exception {
    for (int attempt = 1; attempt <= FREEZE_ATTEMPTS; attempt++) {
      Awaits.until(
          "no checkpoint of " + jobId + " in progress",
          Duration.ofSeconds(60),
          () -> checkpoints(leader, jobId).get("counts").get("in_progress").asInt() == 0);
      victim.pause();
      long frozenAt = System.currentTimeMillis();
      AtomicReference<InProgress> caught = new AtomicReference<>();
      try {
        await("a checkpoint triggered after " + victim.name() + " froze")
            .atMost(FREEZE_WINDOW)
            .pollInterval(Duration.ofMillis(20))
            .until(() -> triggeredSince(leader, jobId, frozenAt, caught));
        return caught.get();
      } catch (ConditionTimeoutException stuckOrSlow) {
        victim.resume();
      }
    }
    throw new AssertionError(
        "no checkpoint of "
            + jobId
            + " triggered within "
            + FREEZE_WINDOW
            + " of freezing "
            + victim.name()
            + ", "
            + FREEZE_ATTEMPTS
            + " times: "
            + checkpoints(leader, jobId));
  }

  /** {@code GET /jobs/{id}/checkpoints} on {@code leader}. */
  static JsonNode checkpoints(JobManagerProcess leader, String jobId) {
    return leader.rest().getOk("/jobs/" + jobId + "/checkpoints");
  }

  /** Checkpoint {@code id}'s entry in the history {@code leader} reports, if it has one. */
  static Optional<JsonNode> historyEntry(JobManagerProcess leader, String jobId, long id) {
    for (JsonNode e : checkpoints(leader, jobId).get("history")) {
      if (e.get("id").asLong() == id) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /**
   * Whether a checkpoint triggered at or after {@code since} is in progress; sets it in {@code
   * found}.
   */
  private static boolean triggeredSince(
      JobManagerProcess leader, String jobId, long since, AtomicReference<InProgress> found) {
    JsonNode stats = checkpoints(leader, jobId);
    for (JsonNode e : stats.get("history")) {
      if (e.get("status").asText().equals("IN_PROGRESS")
          && e.get("trigger_timestamp").asLong() >= since) {
        found.set(new InProgress(e.get("id").asLong(), HaCluster.latestCompletedCheckpoint(stats)));
        return true;
      }
    }
    return false;
  }
}
