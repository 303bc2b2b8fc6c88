package io.baton.ha;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Elects one leader among the contenders of a cluster. Each contender process has its own service;
 * closing it gives up leadership at once so a standby takes over without waiting for a session
 * timeout.
 */
public interface LeaderElectionService extends AutoCloseable {

  /** Enters the election for {@code contender}. Call once. */
  void start(LeaderContender contender) throws Exception;

  /**
   * Publishes {@code address} as the leader's address under {@code leaderSessionId}. Completes
   * exceptionally when that session is no longer the leader's, including when this process was
   * deposed without noticing yet (the write is fenced by the election itself).
   */
  default CompletableFuture<Void> confirmLeadership(UUID leaderSessionId, String address) {
    return confirmLeadership(new LeaderInformation(leaderSessionId, address));
  }

  /**
   * Publishes {@code leader} (RPC address, REST URL) under its session id; fails as {@link
   * #confirmLeadership(UUID, String)} does.
   */
  CompletableFuture<Void> confirmLeadership(LeaderInformation leader);

  /**
   * The ids of every contender currently in the election (the leader's among them), as given when
   * they started; empty when the election cannot tell.
   */
  default java.util.List<String> contenders() {
    return java.util.List.of();
  }

  /** Whether {@code leaderSessionId} is the session this service currently leads under. */
  boolean hasLeadership(UUID leaderSessionId);

  /** Leaves the election; if this contender led, leadership is revoked and moves on. */
  @Override
  void close() throws Exception;
}
