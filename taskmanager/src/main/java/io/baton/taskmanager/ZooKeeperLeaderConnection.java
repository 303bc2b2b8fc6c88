package io.baton.taskmanager;

import io.baton.common.config.Configuration;
import io.baton.common.config.HighAvailabilityOptions;
import io.baton.ha.LeaderRetrievalService;
import io.baton.ha.zookeeper.OpenAclWarning;
import io.baton.ha.zookeeper.ZooKeeperClientFactory;
import io.baton.ha.zookeeper.ZooKeeperHaServices;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TaskManager's ZooKeeper client in HA mode and the leader retrieval of its cluster. The
 * TaskExecutor starts and closes the retrieval; closing this closes the client.
 */
final class ZooKeeperLeaderConnection implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperLeaderConnection.class);

  private final CuratorFramework client;
  private final String clusterPath;
  private final LeaderRetrievalService retrieval;

  private ZooKeeperLeaderConnection(
      CuratorFramework client, String clusterPath, LeaderRetrievalService retrieval) {
    this.client = client;
    this.clusterPath = clusterPath;
    this.retrieval = retrieval;
  }

  /**
   * Connects to the configured quorum.
   *
   * @throws TaskManagerStartupException with one line naming the quorum when it cannot be reached
   *     within high-availability.zookeeper.client.connection-timeout
   */
  static ZooKeeperLeaderConnection connect(Configuration config) {
    String clusterPath = ZooKeeperClientFactory.clusterPath(config);
    CuratorFramework client;
    try {
      OpenAclWarning.of(config).ifPresent(LOG::warn);
      client = ZooKeeperClientFactory.start(config);
    } catch (IllegalStateException e) {
      throw new TaskManagerStartupException(e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TaskManagerStartupException("interrupted while connecting to ZooKeeper", e);
    }
    ZooKeeperHaServices haServices =
        ZooKeeperHaServices.create(
            client, clusterPath, config.get(HighAvailabilityOptions.TOLERATE_SUSPENDED));
    LeaderRetrievalService retrieval = haServices.leaderRetrievalService();
    return new ZooKeeperLeaderConnection(client, clusterPath, retrieval);
  }

  LeaderRetrievalService retrieval() {
    return retrieval;
  }

  /** Where the leader is looked up, for logs: {@code /baton/<cluster-id> on <quorum>}. */
  String describe() {
    return clusterPath
        + " on ZooKeeper "
        + client.getZookeeperClient().getCurrentConnectionString();
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (RuntimeException e) {
      LOG.warn("Could not close the ZooKeeper client of {}", describe(), e);
    }
  }
}
