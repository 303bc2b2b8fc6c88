package io.baton.ha.standalone;

import io.baton.ha.FailoverHistoryStore;
import io.baton.ha.HighAvailabilityServices;
import io.baton.ha.LeaderElectionService;
import io.baton.ha.LeaderRetrievalService;
import io.baton.ha.LeaderStores;
import io.baton.ha.PublishedLeader;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * High availability {@code none}: the JobManager is the only contender and leads from the start;
 * its stores live in its memory, one set for the life of these services, so a restarted JobManager
 * starts without them. Nothing is published anywhere else.
 */
public final class StandaloneHaServices implements HighAvailabilityServices {
  private final LeaderStores stores = new StandaloneLeaderStores();
  private final FailoverHistoryStore failoverHistory = new StandaloneFailoverHistoryStore();

  private StandaloneHaServices() {}

  /** Services of a JobManager without high availability. */
  public static HighAvailabilityServices create() {
    return new StandaloneHaServices();
  }

  /** A fresh set of in-memory stores. */
  public static LeaderStores inMemoryStores() {
    return new StandaloneLeaderStores();
  }

  @Override
  public LeaderElectionService leaderElectionService(String contenderId) {
    return new StandaloneLeaderElectionService(contenderId);
  }

  @Override
  public LeaderRetrievalService leaderRetrievalService() {
    throw new UnsupportedOperationException(
        "no leader retrieval without high availability: the JobManager's address is configured"
            + " (jobmanager.rpc.address)");
  }

  @Override
  public LeaderStores leaderStores(LeaderElectionService election, UUID leaderSessionId) {
    return stores;
  }

  @Override
  public FailoverHistoryStore failoverHistory() {
    return failoverHistory;
  }

  @Override
  public Optional<PublishedLeader> publishedLeader() {
    return Optional.empty();
  }

  @Override
  public List<String> contenders(LeaderElectionService election) {
    return election.contenders();
  }

  @Override
  public String describe() {
    return "this JobManager alone (high-availability.type none)";
  }

  @Override
  public void close() {}
}
