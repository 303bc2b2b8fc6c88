package io.baton.ha;

import java.util.UUID;

/**
 * A component that wants to lead (a JobManager). The election service calls it on its own thread,
 * one call at a time.
 */
public interface LeaderContender {

  /**
   * This contender now leads under the fresh fencing token {@code leaderSessionId}; it publishes
   * its address with {@link LeaderElectionService#confirmLeadership} once it is ready to serve.
   */
  void grantLeadership(UUID leaderSessionId);

  /** Leadership is gone (latch lost, session lost or suspended): stop acting as leader at once. */
  void revokeLeadership();

  /** The election itself failed; the contender can no longer rely on it. */
  default void handleError(Exception error) {}
}
