package io.baton.ha.zookeeper;

import io.baton.common.config.Configuration;
import io.baton.common.config.HighAvailabilityOptions;
import io.baton.ha.ClientHighAvailabilityServices;
import io.baton.ha.LeaderRetrievalService;
import io.baton.storage.FileStores;
import java.io.IOException;
import java.net.URI;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.KeeperException;

/**
 * The CLI's view of a ZooKeeper HA cluster: the configured quorum, and a client started only when a
 * retrieval or the deletion of an ended cluster's data is asked for (no open-ACL warning: the CLI's
 * users want one line).
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
  public synchronized void deleteClusterData() throws InterruptedException, IOException {
    if (client == null) {
      client = ZooKeeperClientFactory.start(config);
    }
    String clusterPath = ZooKeeperClientFactory.clusterPath(config);
    URI files =
        FilePointerStore.child(HaStorageDir.of(config), ZKPaths.getNodeFromPath(clusterPath));
    try {
      client.delete().deletingChildrenIfNeeded().forPath(clusterPath);
    } catch (KeeperException.NoNodeException gone) {
      // deleted before, or never written
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(
          "cannot delete " + clusterPath + " on ZooKeeper " + quorum() + ": " + e.getMessage(), e);
    }
    try (FileStores stores = new FileStores(config)) {
      stores.forUri(files).deleteRecursively(files);
    } catch (IOException e) {
      throw new IOException("cannot delete " + files + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() {
    if (client != null) {
      client.close();
    }
  }
}
