package io.baton.coordinator.checkpoint;

import io.baton.common.ids.JobId;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where a job resumes on its own (a new leader took it over, or its restart strategy restarts it):
 * from its newest intact completed checkpoint; else from where it was submitted to start (a
 * savepoint, or nothing) — but only when no checkpoint ever completed. Once one completed, its
 * sinks may have committed output, and starting over before it would write that output a second
 * time: then the job is refused, with one line naming the damaged checkpoints and what to do.
 *
 * @param point what to restore from; empty: from nothing
 * @param refusal why the job must not resume; empty when it may
 */
public record RestoreDecision(Optional<RestorePoint> point, Optional<String> refusal) {

  /** Resume from {@code point}, or from nothing when it is empty. */
  public static RestoreDecision resume(Optional<RestorePoint> point) {
    return new RestoreDecision(point, Optional.empty());
  }

  /** Do not resume, for {@code reason}. */
  public static RestoreDecision refuse(String reason) {
    return new RestoreDecision(Optional.empty(), Optional.of(reason));
  }

  public boolean refused() {
    return refusal.isPresent();
  }

  /**
   * @param found the newest intact checkpoint, and those passed over
   * @param completedBefore whether a checkpoint or savepoint of the job completed before: the store
   *     names one, or this job master saw one complete
   * @param initialRestore where the job was submitted to start
   */
  static RestoreDecision decide(
      JobId jobId,
      ReadableCheckpoint.Found found,
      boolean completedBefore,
      Optional<RestorePoint> initialRestore) {
    if (found.chosen().isPresent()) {
      return resume(found.chosen());
    }
    if (!completedBefore && found.skipped().isEmpty()) {
      // nothing completed, so no exactly-once sink committed: starting over writes nothing twice
      return resume(initialRestore);
    }
    return refuse(refusal(jobId, found.skipped(), initialRestore));
  }

  private static String refusal(
      JobId jobId, List<ReadableCheckpoint.Skipped> skipped, Optional<RestorePoint> initial) {
    String damaged =
        skipped.isEmpty()
            ? "the completed checkpoint store names none of them any more"
            : skipped.stream()
                .map(
                    s ->
                        "checkpoint "
                            + s.checkpointId()
                            + " at "
                            + s.location()
                            + " ("
                            + s.reason()
                            + ")")
                .collect(Collectors.joining("; "));
    return "Job "
        + jobId
        + " is not resumed: it completed checkpoints before, so its output up to them may be"
        + " committed, and none of them can be restored ("
        + damaged
        + "); starting "
        + (initial.isPresent() ? "from " + initial.get().path() : "from the beginning")
        + " would write that output twice. Its output and checkpoints are left as they are: resume"
        + " it from a savepoint or a retained checkpoint with 'baton run -s <path>', or clear its"
        + " output and submit it again";
  }
}
