package io.baton.ha;

import java.util.UUID;

/** Told where the leader is whenever that changes. Called on the retrieval service's thread. */
public interface LeaderRetrievalListener {

  /** A leader published {@code address} under fencing token {@code leaderSessionId}. */
  void notifyLeaderAddress(String address, UUID leaderSessionId);

  /**
   * A leader published {@code leader}; by default passes its RPC address and token to {@link
   * #notifyLeaderAddress}. Override to see the REST URL as well.
   */
  default void notifyLeader(LeaderInformation leader) {
    notifyLeaderAddress(leader.address(), leader.sessionId());
  }

  /** No leader is published right now (none elected yet, or the last one went away). */
  void notifyNoLeader();

  /** Retrieval failed or read data it could not understand. */
  default void handleError(Exception error) {}
}
