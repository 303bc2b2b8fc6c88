package io.baton.ha;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Everything a Baton process needs of high availability, whatever {@code high-availability.type}
 * says: the JobManager's leader election, the retrieval of the current leader (TaskManagers), the
 * HA stores of a leadership session, and the leader as published right now ({@code GET /ha}).
 * {@link io.baton.ha.factory.HighAvailabilityServicesFactory} picks the ZooKeeper or the standalone
 * implementation. Closing it releases the connection it holds; elections and retrievals are closed
 * by their users before.
 */
public interface HighAvailabilityServices extends AutoCloseable {

  /**
   * A new, not yet started election service whose contender is named {@code contenderId} (e.g. the
   * JobManager's REST address), as {@link LeaderElectionService#contenders()} lists it.
   */
  LeaderElectionService leaderElectionService(String contenderId);

  /**
   * A new, not yet started retrieval of the cluster's leader.
   *
   * @throws UnsupportedOperationException without high availability, where the JobManager's address
   *     is configured ({@code jobmanager.rpc.address}) rather than looked up
   */
  LeaderRetrievalService leaderRetrievalService();

  /**
   * The HA stores of the leadership session {@code leaderSessionId} of {@code election} (a service
   * from this object): jobs, jars, results and per job its checkpoints. With ZooKeeper every write
   * fails with {@link LeadershipLostException} once that session no longer leads; without high
   * availability they live in memory, one set for the life of this object.
   *
   * @throws LeadershipLostException when {@code leaderSessionId} is not the election's current
   *     session
   * @throws IllegalStateException when these services were created without file stores (a
   *     TaskManager's)
   */
  LeaderStores leaderStores(LeaderElectionService election, UUID leaderSessionId)
      throws LeadershipLostException;

  /**
   * The leader as published right now, read when asked so a standby never tells of a leader that is
   * gone; empty when none is published, when what is published is unreadable, or when it cannot be
   * told without waiting for a connection.
   */
  Optional<PublishedLeader> publishedLeader();

  /**
   * The contender ids in {@code election} (a service from this object); empty when they cannot be
   * told without waiting for a connection, where asking would stall a REST request.
   */
  List<String> contenders(LeaderElectionService election);

  /**
   * The state of this process's ZooKeeper connection, as its last change left it; empty without
   * high availability. Safe to call from any thread.
   */
  default Optional<ZooKeeperConnectionState> connectionState() {
    return Optional.empty();
  }

  /**
   * The cluster's failover history: with ZooKeeper under the cluster's znode, so every JobManager
   * reads the same; without high availability in this process's memory.
   */
  FailoverHistoryStore failoverHistory();

  /**
   * The state of this process's ZooKeeper connection with since when, as the HA console shows it;
   * empty without high availability. Safe to call from any thread.
   */
  default Optional<ZooKeeperConnectionStatus> connectionStatus() {
    return Optional.empty();
  }

  /** Where the leader is elected and published, for logs, e.g. {@code /baton/c1 on ZooKeeper …}. */
  String describe();

  /** Releases the connection; failures are logged, never thrown. */
  @Override
  void close();
}
