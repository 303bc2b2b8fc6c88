package io.baton.ha;

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

  /** A new, not yet started retrieval of this cluster's leader. */
  public LeaderRetrievalService leaderRetrievalService() {
    return new ZooKeeperLeaderRetrievalService(client, infoPath);
  }

  /** The znode where the leader publishes its address and token. */
  public String leaderInfoPath() {
    return infoPath;
  }
}
