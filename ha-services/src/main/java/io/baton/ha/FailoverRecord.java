package io.baton.ha;

import java.util.List;

/**
 * One entry of the cluster's failover history: a leadership that began, who led before it, how the
 * previous leader was found gone, and what became of each job the new leader recovered.
 *
 * @param grantedAt epoch millis at which the new leader was granted leadership
 * @param leaderId the new leader's contender id ({@code host:rest port})
 * @param tokenDigest a digest of the new leader's fencing token
 * @param previousLeaderId the previous leader's contender id; null for the first leader
 * @param previousTokenDigest a digest of the previous leader's token; null when not known
 * @param detection how the previous leader was found gone
 * @param evidence what showed it (the probe's observation, the stop), one line; null when nothing
 *     more is known
 * @param detectionMs how long finding it gone took (probe: first failed probe to the deletion of
 *     its latch node; graceful stop: its stop to this grant); null when it cannot be known
 * @param jobs what became of each job the new leader recovered
 */
public record FailoverRecord(
    long grantedAt,
    String leaderId,
    String tokenDigest,
    String previousLeaderId,
    String previousTokenDigest,
    Detection detection,
    String evidence,
    Long detectionMs,
    List<RecoveredJob> jobs) {

  public FailoverRecord {
    jobs = jobs == null ? List.of() : List.copyOf(jobs);
  }

  /** How the previous leader was found gone. */
  public enum Detection {
    /** No leader before this one in the history. */
    FIRST_LEADER,
    /** A standby's probes proved its process gone and deleted its latch node. */
    PROBE,
    /** Its ZooKeeper session ended (expired, or the connection was lost) without another proof. */
    SESSION_EXPIRED,
    /** It stopped and left the election itself. */
    GRACEFUL_STOP
  }

  /** What the new leader did with one recovered job. */
  public enum Outcome {
    /** Its running tasks were adopted, none restarted. */
    RECONCILED,
    /** It restarted from a completed checkpoint. */
    RESTORED,
    /** It started over with no checkpoint to restore. */
    STARTED_FRESH,
    /** It was not running when the entry was written (failed, or still waiting). */
    NOT_RUNNING
  }

  /**
   * One recovered job.
   *
   * @param adoptedTasks how many tasks were adopted (RECONCILED); null otherwise
   * @param checkpointId the checkpoint restored from (RESTORED); null otherwise
   * @param msToRunning from the grant to the job RUNNING; null when it did not run
   */
  public record RecoveredJob(
      String jobId,
      String name,
      Outcome outcome,
      Integer adoptedTasks,
      Long checkpointId,
      Long msToRunning) {}
}
