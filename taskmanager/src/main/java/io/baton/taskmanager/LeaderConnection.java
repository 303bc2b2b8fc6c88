package io.baton.taskmanager;

import io.baton.common.config.Configuration;
import io.baton.ha.HighAvailabilityServices;
import io.baton.ha.LeaderRetrievalService;
import io.baton.ha.ZooKeeperConnectionState;
import io.baton.ha.factory.HighAvailabilityServicesFactory;

/**
 * The TaskManager's high-availability services in HA mode and the leader retrieval of its cluster.
 * The TaskExecutor starts and closes the retrieval; closing this closes the services' connection.
 */
final class LeaderConnection implements AutoCloseable {
  private final HighAvailabilityServices services;
  private final LeaderRetrievalService retrieval;

  private LeaderConnection(HighAvailabilityServices services, LeaderRetrievalService retrieval) {
    this.services = services;
    this.retrieval = retrieval;
  }

  /**
   * Connects to the configured quorum.
   *
   * @throws TaskManagerStartupException with one line naming the quorum when it cannot be reached
   *     within high-availability.zookeeper.client.connection-timeout
   */
  static LeaderConnection connect(Configuration config) {
    HighAvailabilityServices services;
    try {
      services = HighAvailabilityServicesFactory.create(config);
    } catch (IllegalStateException e) {
      throw new TaskManagerStartupException(e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TaskManagerStartupException("interrupted while connecting to ZooKeeper", e);
    }
    return new LeaderConnection(services, services.leaderRetrievalService());
  }

  LeaderRetrievalService retrieval() {
    return retrieval;
  }

  /** The state of the ZooKeeper connection, as its last change left it; any thread. */
  ZooKeeperConnectionState connectionState() {
    return services.connectionState().orElseThrow();
  }

  /** Where the leader is looked up, for logs: {@code /baton/<cluster-id> on ZooKeeper <quorum>}. */
  String describe() {
    return services.describe();
  }

  @Override
  public void close() {
    services.close();
  }
}
