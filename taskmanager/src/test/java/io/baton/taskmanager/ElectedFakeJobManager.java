package io.baton.taskmanager;

import io.baton.common.config.Configuration;
import io.baton.common.config.HighAvailabilityOptions;
import io.baton.ha.LeaderContender;
import io.baton.ha.LeaderElectionService;
import io.baton.ha.LeaderInformation;
import io.baton.ha.zookeeper.ZooKeeperClientFactory;
import io.baton.ha.zookeeper.ZooKeeperHaServices;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;

/**
 * A {@link FakeJobManager} that contends for leadership in a real ZooKeeper election, as a
 * JobManager does: when granted it takes the leader session as its fencing token and publishes its
 * RPC address through the election (unless told to hold back, to play a JobManager that does not
 * answer as the leader yet).
 */
final class ElectedFakeJobManager implements LeaderContender, AutoCloseable {
  final FakeJobManager rpc;
  private final CuratorFramework client;
  private final LeaderElectionService election;

  /** When false, a grant is only recorded; the test publishes with {@link #publish}. */
  private final boolean takeTokenOnGrant;

  volatile UUID session;

  private ElectedFakeJobManager(Configuration haConfig, boolean takeTokenOnGrant) throws Exception {
    this.takeTokenOnGrant = takeTokenOnGrant;
    this.rpc = FakeJobManager.onFreePort().start();
    this.client = ZooKeeperClientFactory.start(haConfig);
    this.election =
        ZooKeeperHaServices.create(
                client,
                ZooKeeperClientFactory.clusterPath(haConfig),
                haConfig.get(HighAvailabilityOptions.TOLERATE_SUSPENDED))
            .leaderElectionService();
    election.start(this);
  }

  /** Contends; once granted it answers with the session as token and publishes itself. */
  static ElectedFakeJobManager contend(Configuration haConfig) throws Exception {
    return new ElectedFakeJobManager(haConfig, true);
  }

  /**
   * Contends; once granted it publishes itself but keeps answering registrations with its old token
   * until the test calls {@link #answerAsLeader}.
   */
  static ElectedFakeJobManager contendAnsweringWithAStaleToken(Configuration haConfig)
      throws Exception {
    return new ElectedFakeJobManager(haConfig, false);
  }

  String address() {
    return "127.0.0.1:" + rpc.port;
  }

  @Override
  public void grantLeadership(UUID leaderSessionId) {
    session = leaderSessionId;
    if (takeTokenOnGrant) {
      rpc.fencingToken = leaderSessionId.toString();
    }
    publish(leaderSessionId);
  }

  private void publish(UUID leaderSessionId) {
    election
        .confirmLeadership(new LeaderInformation(leaderSessionId, address(), "http://unused:1"))
        .orTimeout(10, TimeUnit.SECONDS);
  }

  /** From now on registrations are answered with the leader session as the fencing token. */
  void answerAsLeader() {
    rpc.fencingToken = session.toString();
  }

  @Override
  public void revokeLeadership() {
    session = null;
  }

  /** Leaves the election (leadership moves on at once); the RPC service keeps answering. */
  void resign() throws Exception {
    election.close();
  }

  @Override
  public void close() throws Exception {
    election.close();
    client.close();
    rpc.close();
  }
}
