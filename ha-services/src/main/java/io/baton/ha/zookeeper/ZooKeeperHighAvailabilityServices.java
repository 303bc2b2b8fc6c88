package io.baton.ha.zookeeper;

import io.baton.ha.FailoverHistoryStore;
import io.baton.ha.HighAvailabilityServices;
import io.baton.ha.LeaderElectionService;
import io.baton.ha.LeaderRetrievalService;
import io.baton.ha.LeaderStores;
import io.baton.ha.LeadershipLostException;
import io.baton.ha.PublishedLeader;
import io.baton.ha.ZooKeeperConnectionState;
import io.baton.ha.ZooKeeperConnectionStatus;
import io.baton.storage.FileStores;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link HighAvailabilityServices} on one ZooKeeper client of this process, which it owns and
 * closes: the cluster's services ({@link ZooKeeperHaServices}) plus what a JobManager shows of the
 * published leader.
 */
final class ZooKeeperHighAvailabilityServices implements HighAvailabilityServices {
  private static final Logger LOG =
      LoggerFactory.getLogger(ZooKeeperHighAvailabilityServices.class);

  private final CuratorFramework client;
  private final ZooKeeperHaServices cluster;
  private final String clusterPath;
  private final FileStores fileStores;
  private final URI storageDir;
  private final LeaderInfoZnode leaderInfo;
  private final FailoverHistoryStore failoverHistory;
  // set on Curator's event thread, read by metrics scrapes
  private final AtomicReference<ZooKeeperConnectionState> connectionState;
  // the same changes with their time and RECONNECTED told apart, for the HA console
  private final AtomicReference<ZooKeeperConnectionStatus> connectionStatus;

  /**
   * @param fileStores where the HA stores keep their files; null for a process without HA stores
   * @param storageDir {@code high-availability.storageDir}; null when {@code fileStores} is
   */
  ZooKeeperHighAvailabilityServices(
      CuratorFramework client,
      ZooKeeperHaServices cluster,
      String clusterPath,
      FileStores fileStores,
      URI storageDir) {
    this.client = client;
    this.cluster = cluster;
    this.clusterPath = clusterPath;
    this.fileStores = fileStores;
    this.storageDir = storageDir;
    this.leaderInfo = new LeaderInfoZnode(client, cluster.leaderInfoPath());
    this.failoverHistory =
        new ZooKeeperFailoverHistoryStore(client, clusterPath, Clock.systemUTC());
    this.connectionState =
        new AtomicReference<>(
            client.getZookeeperClient().isConnected()
                ? ZooKeeperConnectionState.CONNECTED
                : ZooKeeperConnectionState.SUSPENDED);
    Clock clock = Clock.systemUTC();
    this.connectionStatus =
        new AtomicReference<>(
            new ZooKeeperConnectionStatus(shown(connectionState.get()), clock.millis()));
    client
        .getConnectionStateListenable()
        .addListener(
            (c, state) -> {
              connectionState.set(monitored(state));
              connectionStatus.set(new ZooKeeperConnectionStatus(shown(state), clock.millis()));
            });
  }

  private static ZooKeeperConnectionStatus.State shown(ZooKeeperConnectionState state) {
    return ZooKeeperConnectionStatus.State.valueOf(state.name());
  }

  private static ZooKeeperConnectionStatus.State shown(ConnectionState state) {
    return switch (state) {
      case CONNECTED, READ_ONLY -> ZooKeeperConnectionStatus.State.CONNECTED;
      case RECONNECTED -> ZooKeeperConnectionStatus.State.RECONNECTED;
      case SUSPENDED -> ZooKeeperConnectionStatus.State.SUSPENDED;
      case LOST -> ZooKeeperConnectionStatus.State.LOST;
    };
  }

  @Override
  public Optional<ZooKeeperConnectionStatus> connectionStatus() {
    return Optional.of(connectionStatus.get());
  }

  private static ZooKeeperConnectionState monitored(ConnectionState state) {
    return switch (state) {
      case CONNECTED, RECONNECTED, READ_ONLY -> ZooKeeperConnectionState.CONNECTED;
      case SUSPENDED -> ZooKeeperConnectionState.SUSPENDED;
      case LOST -> ZooKeeperConnectionState.LOST;
    };
  }

  @Override
  public Optional<ZooKeeperConnectionState> connectionState() {
    return Optional.of(connectionState.get());
  }

  @Override
  public FailoverHistoryStore failoverHistory() {
    return failoverHistory;
  }

  @Override
  public LeaderElectionService leaderElectionService(String contenderId) {
    return cluster.leaderElectionService(contenderId);
  }

  @Override
  public LeaderRetrievalService leaderRetrievalService() {
    return cluster.leaderRetrievalService();
  }

  @Override
  public LeaderStores leaderStores(LeaderElectionService election, UUID leaderSessionId)
      throws LeadershipLostException {
    if (fileStores == null) {
      throw new IllegalStateException(
          "these HA services were created without file stores: they keep no HA stores");
    }
    return cluster.leaderStores(election, leaderSessionId, fileStores, storageDir);
  }

  @Override
  public Optional<PublishedLeader> publishedLeader() {
    return leaderInfo.get();
  }

  @Override
  public List<String> contenders(LeaderElectionService election) {
    return client.getZookeeperClient().isConnected() ? election.contenders() : List.of();
  }

  @Override
  public String describe() {
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
