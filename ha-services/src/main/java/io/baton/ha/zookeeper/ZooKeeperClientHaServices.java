package io.baton.ha.zookeeper;

import io.baton.common.config.Configuration;
import io.baton.common.config.HighAvailabilityOptions;
import io.baton.ha.ClientHighAvailabilityServices;
import io.baton.ha.LeaderRetrievalService;
import org.apache.curator.framework.CuratorFramework;

/**
 * The CLI's view of a ZooKeeper HA cluster: the configured quorum, and a client started only when a
 * retrieval is asked for (no open-ACL warning: the CLI's users want one line).
 */
final class ZooKeeperClientHaServices implements ClientHighAvailabilityServices {
  private final Configuration config;
  private CuratorFramework client;

  ZooKeeperClientHaServices(Configuration config) {
    this.config = config;
  }

  @Override
  public String quorum() {
    return ZooKeeperClientFactory.connectString(config);
  }

  @Override
  public synchronized LeaderRetrievalService leaderRetrievalService() throws InterruptedException {
    if (client == null) {
      client = ZooKeeperClientFactory.start(config);
    }
    return ZooKeeperHaServices.create(
            client,
            ZooKeeperClientFactory.clusterPath(config),
            config.get(HighAvailabilityOptions.TOLERATE_SUSPENDED))
        .leaderRetrievalService();
  }

  @Override
  public synchronized void close() {
    if (client != null) {
      client.close();
    }
  }
}
