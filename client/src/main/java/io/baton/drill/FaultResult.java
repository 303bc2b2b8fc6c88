package io.baton.drill;

/**
 * What one fault did, as the cluster reported it over REST.
 *
 * @param number 1 for the first fault
 * @param hit what was hit, e.g. {@code leader SIGKILL pid 4711 localhost:8081}
 * @param oldLeader the leader's contender id before the fault
 * @param newLeader the leader's contender id once the job ran again ("-" when none)
 * @param detectionMs new leader's leaderSince minus the time of the fault; null when the leadership
 *     did not change
 * @param recoveryMs the time of the fault until every task of the job ran again under a leader;
 *     null when there was no failover or no recovery
 * @param restoredFrom the checkpoint the job restored from ("chk-12"), {@value #RECONCILED} when
 *     the new leader adopted its running tasks, "none" when it started afresh, "-" without a
 *     failover
 */
record FaultResult(
    int number,
    String hit,
    String oldLeader,
    String newLeader,
    Long detectionMs,
    Long recoveryMs,
    String restoredFrom,
    Outcome outcome) {

  /** {@link #restoredFrom} of a failover in which the new leader adopted the running tasks. */
  static final String RECONCILED = "reconciled";

  /** How the job came through the fault. */
  enum Outcome {
    /** The job failed over and every task ran again. */
    FAILOVER,
    /** The fault did not disturb the job, which kept running. */
    NO_FAILOVER,
    /** The job finished before it was seen running again: it came through. */
    JOB_FINISHED,
    /** The job did not run again within the drill's deadline, or ended otherwise. */
    NOT_RECOVERED
  }

  boolean recovered() {
    return outcome != Outcome.NOT_RECOVERED;
  }
}
