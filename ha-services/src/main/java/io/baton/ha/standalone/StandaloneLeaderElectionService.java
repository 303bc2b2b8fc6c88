package io.baton.ha.standalone;

import io.baton.ha.LeaderContender;
import io.baton.ha.LeaderElectionService;
import io.baton.ha.LeaderInformation;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The election of a JobManager without high availability: it is the only contender, so it leads
 * from {@link #start} on, under a fresh random session id, until it closes. Lets non-HA mode take
 * the same code path as ZooKeeper mode.
 */
final class StandaloneLeaderElectionService implements LeaderElectionService {
  private final String contenderId;
  private volatile UUID session;
  private volatile LeaderContender contender;
  private volatile LeaderInformation published;

  /**
   * @param contenderId this JobManager's id, the only one {@link #contenders()} lists
   */
  StandaloneLeaderElectionService(String contenderId) {
    this.contenderId = contenderId;
  }

  /** Grants leadership at once, on the calling thread. */
  @Override
  public void start(LeaderContender contender) {
    this.contender = contender;
    UUID granted = UUID.randomUUID();
    session = granted;
    contender.grantLeadership(granted);
  }

  @Override
  public CompletableFuture<Void> confirmLeadership(LeaderInformation leader) {
    if (!hasLeadership(leader.sessionId())) {
      return CompletableFuture.failedFuture(
          new IllegalStateException(
              "Leader session " + leader.sessionId() + " is not the current leadership"));
    }
    published = leader;
    return CompletableFuture.completedFuture(null);
  }

  /** What the leader published last; null before it confirmed. */
  public LeaderInformation published() {
    return published;
  }

  @Override
  public List<String> contenders() {
    return List.of(contenderId);
  }

  @Override
  public boolean hasLeadership(UUID leaderSessionId) {
    return leaderSessionId != null && leaderSessionId.equals(session);
  }

  @Override
  public void close() {
    if (session != null) {
      session = null;
      published = null;
      contender.revokeLeadership();
    }
  }
}
