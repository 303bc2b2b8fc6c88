package io.baton.ha.zookeeper;

import io.baton.ha.LeaderInformation;
import io.baton.ha.PublishedLeader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the published leader straight from its {@code leader/info} znode (as {@link LeaderInfoText}
 * reads it), with the znode's creation time as the time it started to lead.
 */
final class LeaderInfoZnode implements Supplier<Optional<PublishedLeader>> {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderInfoZnode.class);

  private final CuratorFramework client;
  private final String path;

  LeaderInfoZnode(CuratorFramework client, String path) {
    this.client = client;
    this.path = path;
  }

  @Override
  public Optional<PublishedLeader> get() {
    if (!client.getZookeeperClient().isConnected()) {
      // without a connection no leader can be told, and waiting for one would stall the caller
      return Optional.empty();
    }
    Stat stat = new Stat();
    byte[] data;
    try {
      data = client.getData().storingStatIn(stat).forPath(path);
    } catch (KeeperException.NoNodeException e) {
      return Optional.empty();
    } catch (Exception e) {
      LOG.debug("Cannot read the leader at {}", path, e);
      return Optional.empty();
    }
    try {
      LeaderInformation leader = LeaderInfoText.parse(new String(data, StandardCharsets.UTF_8));
      return Optional.of(new PublishedLeader(leader, stat.getCtime()));
    } catch (IllegalArgumentException e) {
      LOG.warn("Unreadable leader info at {}: {}", path, e.getMessage());
      return Optional.empty();
    }
  }
}
