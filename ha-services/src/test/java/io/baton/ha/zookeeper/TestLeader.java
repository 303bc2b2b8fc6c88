package io.baton.ha.zookeeper;

import static org.awaitility.Awaitility.await;

import io.baton.ha.LeaderContender;
import io.baton.ha.LeaderElectionService;
import io.baton.ha.LeaderStores;
import io.baton.storage.FileStores;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;

/** A JobManager stand-in for store tests: its own client, contending on one cluster path. */
final class TestLeader implements LeaderContender, AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(15);

  final CuratorFramework client;
  final ZooKeeperHaServices services;
  final LeaderElectionService election;
  private final FileStores fileStores;
  private final URI storageDir;
  volatile UUID session;

  private TestLeader(
      CuratorFramework client,
      String clusterPath,
      String contenderId,
      FileStores fileStores,
      URI storageDir) {
    this.client = client;
    this.services = ZooKeeperHaServices.create(client, clusterPath, false);
    this.election = services.leaderElectionService(contenderId);
    this.fileStores = fileStores;
    this.storageDir = storageDir;
  }

  /**
   * Starts a client on {@code connectString} and enters the election of {@code clusterPath}; its
   * stores keep their files in {@code storageDir}.
   */
  static TestLeader contend(
      String connectString,
      String clusterPath,
      String contenderId,
      FileStores fileStores,
      URI storageDir)
      throws Exception {
    CuratorFramework client =
        CuratorFrameworkFactory.newClient(connectString, 5_000, 3_000, new RetryOneTime(100));
    client.start();
    TestLeader leader = new TestLeader(client, clusterPath, contenderId, fileStores, storageDir);
    leader.election.start(leader);
    return leader;
  }

  /** Waits until this contender leads and returns the stores of that leadership. */
  LeaderStores stores() throws Exception {
    await().atMost(TIMEOUT).until(() -> session != null);
    return services.leaderStores(election, session, fileStores, storageDir);
  }

  @Override
  public void grantLeadership(UUID leaderSessionId) {
    session = leaderSessionId;
  }

  @Override
  public void revokeLeadership() {
    session = null;
  }

  @Override
  public void close() throws Exception {
    election.close();
    client.close();
  }
}
