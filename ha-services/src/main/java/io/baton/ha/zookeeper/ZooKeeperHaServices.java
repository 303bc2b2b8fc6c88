package io.baton.ha.zookeeper;

import io.baton.common.config.Configuration;
import io.baton.common.config.HighAvailabilityOptions;
import io.baton.ha.ClientHighAvailabilityServices;
import io.baton.ha.HighAvailabilityServices;
import io.baton.ha.LeaderElectionService;
import io.baton.ha.LeaderRetrievalService;
import io.baton.ha.LeaderStores;
import io.baton.ha.LeadershipLostException;
import io.baton.storage.FileStores;
import java.net.URI;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.utils.ZKPaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election, leader retrieval and the HA stores of one cluster on ZooKeeper, under {@code
 * <root>/<cluster-id>} as docs/architecture.md lays it out. The client is owned by the caller.
 *
 * <p><b>ZooKeeper requests per completed checkpoint.</b> {@link #operationCount()} counts every
 * request the stores send (a fenced transaction counts once). In steady state, with {@code
 * state.checkpoints.num-retained: 1}, one checkpoint costs 5 requests: the checkpoint id counter's
 * fenced increment (1) plus the re-read its watch triggers in the SharedCount (1, in the
 * background); publishing the pointer (1 fenced create); and withdrawing the previous checkpoint
 * (2: a read of its pointer, to learn which file to delete, and a fenced delete). The first
 * checkpoint of a job in a leader session costs 1 more (making sure the job's parent znode exists).
 */
public final class ZooKeeperHaServices {
  private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperHaServices.class);

  private final CuratorFramework client;
  private final String clusterPath;
  private final String latchPath;
  private final String infoPath;
  private final boolean tolerateSuspended;
  private final LeaderProbeSettings probeSettings;
  private final AtomicLong operations = new AtomicLong();

  private ZooKeeperHaServices(
      CuratorFramework client,
      String clusterPath,
      boolean tolerateSuspended,
      LeaderProbeSettings probeSettings) {
    this.client = client;
    this.clusterPath = clusterPath;
    this.latchPath = ZKPaths.makePath(clusterPath, "leader", "latch");
    this.infoPath = ZKPaths.makePath(clusterPath, "leader", "info");
    this.tolerateSuspended = tolerateSuspended;
    this.probeSettings = probeSettings;
  }

  /**
   * The services of a JobManager ({@code fileStores} set) or a TaskManager ({@code fileStores}
   * null, no HA stores) on a new client of the configured quorum, which they close: checks that
   * {@code high-availability.storageDir} is set and writable (JobManager), warns about open ACLs,
   * connects and checks the SASL login.
   *
   * @throws io.baton.common.config.IllegalConfigurationException one line naming the key of a bad
   *     value
   * @throws IllegalStateException with one line naming the quorum when it cannot be reached or
   *     refuses the login
   */
  public static HighAvailabilityServices connect(Configuration config, FileStores fileStores)
      throws InterruptedException {
    URI storageDir = null;
    if (fileStores != null) {
      storageDir = HaStorageDir.of(config);
      fileStores.checkWritable(storageDir, HighAvailabilityOptions.STORAGE_DIR.key());
    }
    OpenAclWarning.of(config).ifPresent(LOG::warn);
    // read before connecting, so unreadable TLS stores stop start-up with their one line
    LeaderProbeSettings probeSettings = LeaderProbeSettings.fromConfiguration(config);
    CuratorFramework client = ZooKeeperClientFactory.start(config);
    String clusterPath = ZooKeeperClientFactory.clusterPath(config);
    ZooKeeperHaServices cluster =
        create(
            client,
            clusterPath,
            config.get(HighAvailabilityOptions.TOLERATE_SUSPENDED),
            probeSettings);
    return new ZooKeeperHighAvailabilityServices(
        client, cluster, clusterPath, fileStores, storageDir);
  }

  /** The CLI's leader lookup in the configured quorum; it connects only when asked to look. */
  public static ClientHighAvailabilityServices client(Configuration config) {
    return new ZooKeeperClientHaServices(config);
  }

  /**
   * Services of the cluster at {@code clusterPath} (e.g. {@code /baton/default}).
   *
   * @param tolerateSuspended false: leadership is revoked as soon as the connection is SUSPENDED;
   *     true: only when the session is LOST (the client must then be built with a session error
   *     policy, as {@link ZooKeeperClientFactory} does)
   */
  public static ZooKeeperHaServices create(
      CuratorFramework client, String clusterPath, boolean tolerateSuspended) {
    return create(client, clusterPath, tolerateSuspended, LeaderProbeSettings.disabled());
  }

  /**
   * Services of the cluster at {@code clusterPath} whose standbys probe the published leader as
   * {@code probeSettings} say (see {@link DeadLeaderDetector}).
   */
  public static ZooKeeperHaServices create(
      CuratorFramework client,
      String clusterPath,
      boolean tolerateSuspended,
      LeaderProbeSettings probeSettings) {
    return new ZooKeeperHaServices(client, clusterPath, tolerateSuspended, probeSettings);
  }

  /** A new, not yet started contender's election service. */
  public LeaderElectionService leaderElectionService() {
    return leaderElectionService("");
  }

  /**
   * A new, not yet started election service whose latch participant is named {@code contenderId}
   * (e.g. the JobManager's REST address), as {@link LeaderElectionService#contenders()} lists it.
   */
  public LeaderElectionService leaderElectionService(String contenderId) {
    return new ZooKeeperLeaderElectionService(
        client, latchPath, infoPath, contenderId, tolerateSuspended, probeSettings);
  }

  /**
   * The HA stores of the leader session {@code leaderSessionId} of {@code election} (a service from
   * this object): pointers under this cluster's znode, files under {@code storageDir}. Every write
   * is one transaction that checks the latch node {@code election} held when it granted that
   * session, so once it no longer leads, writes fail with {@link LeadershipLostException}. Files go
   * to {@code <storageDir>/<cluster-id>/<kind>/}; the stores stop their watches when the session is
   * revoked.
   *
   * @throws LeadershipLostException when {@code leaderSessionId} is not the election's current
   *     session
   */
  public LeaderStores leaderStores(
      LeaderElectionService election, UUID leaderSessionId, FileStores fileStores, URI storageDir)
      throws LeadershipLostException {
    if (!(election instanceof ZooKeeperLeaderElectionService zooKeeperElection)) {
      throw new IllegalArgumentException(
          "leader stores need an election service of these ZooKeeper services, not " + election);
    }
    if (storageDir == null) {
      throw new IllegalArgumentException(
          HighAvailabilityOptions.STORAGE_DIR.key()
              + " must be set for ZooKeeper high availability");
    }
    String latchNode = zooKeeperElection.latchNodeOf(leaderSessionId);
    String clusterId = ZKPaths.getNodeFromPath(clusterPath);
    ZooKeeperLeaderStores stores =
        new ZooKeeperLeaderStores(
            new FencedZooKeeper(client, latchNode, operations),
            clusterPath,
            fileStores,
            FilePointerStore.child(storageDir, clusterId),
            operations::incrementAndGet);
    // The stores' watches end with the leadership; their writes would fail from then on anyway.
    zooKeeperElection.whenRevoked(leaderSessionId, stores::close);
    return stores;
  }

  /**
   * How many requests the HA stores of all leader sessions of this object sent to ZooKeeper so far
   * (see the class comment for what one checkpoint costs).
   */
  public long operationCount() {
    return operations.get();
  }

  /** A new, not yet started retrieval of this cluster's leader. */
  public LeaderRetrievalService leaderRetrievalService() {
    return new ZooKeeperLeaderRetrievalService(client, infoPath);
  }

  /** The znode where the leader publishes its address and token. */
  public String leaderInfoPath() {
    return infoPath;
  }
}
