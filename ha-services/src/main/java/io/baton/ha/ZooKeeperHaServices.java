package io.baton.ha;

import io.baton.storage.FileStores;
import java.net.URI;
import java.util.UUID;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.utils.ZKPaths;

/**
 * Leader election and retrieval of one cluster on ZooKeeper, under {@code
 * <root>/<cluster-id>/leader/latch} and {@code <root>/<cluster-id>/leader/info}. The client is
 * owned by the caller.
 */
public final class ZooKeeperHaServices {
  private final CuratorFramework client;
  private final String latchPath;
  private final String infoPath;
  private final boolean tolerateSuspended;

  private ZooKeeperHaServices(
      CuratorFramework client, String clusterPath, boolean tolerateSuspended) {
    this.client = client;
    this.latchPath = ZKPaths.makePath(clusterPath, "leader", "latch");
    this.infoPath = ZKPaths.makePath(clusterPath, "leader", "info");
    this.tolerateSuspended = tolerateSuspended;
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
    return new ZooKeeperHaServices(client, clusterPath, tolerateSuspended);
  }

  /** A new, not yet started contender's election service. */
  public LeaderElectionService leaderElectionService() {
    return new ZooKeeperLeaderElectionService(client, latchPath, infoPath, tolerateSuspended);
  }

  /**
   * A new, not yet started election service whose latch participant is named {@code contenderId}
   * (e.g. the JobManager's REST address), as {@link LeaderElectionService#contenders()} lists it.
   */
  public LeaderElectionService leaderElectionService(String contenderId) {
    throw new UnsupportedOperationException("not built yet");
  }

  /**
   * The HA stores of the leader session {@code leaderSessionId} of {@code election} (a service from
   * this object): pointers under this cluster's znode, files under {@code storageDir}. Every write
   * is one transaction that checks the latch node {@code election} held when it granted that
   * session, so once it no longer leads, writes fail with {@link LeadershipLostException}.
   *
   * @throws LeadershipLostException when {@code leaderSessionId} is not the election's current
   *     session
   */
  public HighAvailabilityServices leaderStores(
      LeaderElectionService election, UUID leaderSessionId, FileStores fileStores, URI storageDir)
      throws LeadershipLostException {
    throw new UnsupportedOperationException("not built yet");
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
