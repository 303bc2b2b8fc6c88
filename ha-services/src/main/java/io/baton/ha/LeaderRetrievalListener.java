package io.baton.ha;

import java.util.UUID;

/** Told where the leader is whenever that changes. Called on the retrieval service's thread. */
public interface LeaderRetrievalListener {

  /** A leader published {@code address} under fencing token {@code leaderSessionId}. */
  void notifyLeaderAddress(String address, UUID leaderSessionId);

  /** No leader is published right now (none elected yet, or the last one went away). */
  void notifyNoLeader();

  /** Retrieval failed or read data it could not understand. */
  default void handleError(Exception error) {}
}
