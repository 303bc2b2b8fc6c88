package io.baton.ha.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.baton.ha.LeaderContender;
import io.baton.ha.LeaderElectionService;
import io.baton.ha.LeaderInformation;
import io.baton.ha.LeaderRetrievalService;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Someone else writes garbage into, deletes, or replaces {@code leader/info}: the leader writes it
 * again within seconds, and readers that meet the garbage name the node; a contender that does not
 * lead leaves the node alone.
 */
class LeaderInfoRepairTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @RegisterExtension
  static final ZooKeeperServerExtension zooKeeper = new ZooKeeperServerExtension();

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private String cluster;
  private String infoPath;
  private CuratorFramework intruder;

  @BeforeEach
  void setUp() {
    cluster = "/baton/" + UUID.randomUUID();
    intruder = newClient();
    infoPath = ZooKeeperHaServices.create(intruder, cluster, false).leaderInfoPath();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  @Test
  void garbageWrittenIntoTheLeadersNodeIsRepairedAndReadersNameTheNode() throws Exception {
    Leader leader = lead("jm-a:6123");
    RecordingListener retrieval = retrieve();
    await().atMost(TIMEOUT).until(() -> leader.published().equals(retrieval.last()));

    intruder.setData().forPath(infoPath, bytes("\u0000garbage\nmore garbage"));

    await().atMost(TIMEOUT).until(() -> !retrieval.errors.isEmpty());
    assertThat(retrieval.errors.get(0))
        .hasMessageStartingWith("the leader info node " + infoPath + " is unreadable")
        .message()
        .doesNotContain("\n");
    await().atMost(TIMEOUT).until(() -> leader.ownsTheNodeWithItsInfo());
    await().atMost(TIMEOUT).until(() -> leader.published().equals(retrieval.last()));
  }

  @Test
  void aDeletedNodeIsWrittenAgainAndAPersistentCopyIsReplacedByTheLeadersEphemeralOne()
      throws Exception {
    Leader leader = lead("jm-a:6123");
    await().atMost(TIMEOUT).until(leader::ownsTheNodeWithItsInfo);

    intruder.delete().forPath(infoPath);
    await().atMost(TIMEOUT).until(leader::ownsTheNodeWithItsInfo);

    // Same text, but a node that would outlive the leader's session.
    byte[] text = intruder.getData().forPath(infoPath);
    intruder
        .transaction()
        .forOperations(
            intruder.transactionOp().delete().forPath(infoPath),
            intruder
                .transactionOp()
                .create()
                .withMode(CreateMode.PERSISTENT)
                .forPath(infoPath, text));
    await().atMost(TIMEOUT).until(leader::ownsTheNodeWithItsInfo);

    // Another leader's info (a forged token) is overwritten too.
    intruder
        .setData()
        .forPath(infoPath, bytes("jm-evil:6123\n" + UUID.randomUUID() + "\nhttp://evil:8081"));
    await().atMost(TIMEOUT).until(leader::ownsTheNodeWithItsInfo);
  }

  @Test
  void aContenderThatDoesNotLeadLeavesTheNodeAlone() throws Exception {
    LeaderLatch other = new LeaderLatch(newClient(), cluster + "/leader/latch", "someone-else");
    toClose.add(other);
    other.start();
    await().atMost(TIMEOUT).until(other::hasLeadership);
    Leader standby = contend("jm-b:6123");
    await().atMost(TIMEOUT).until(() -> standby.service.contenders().size() == 2);
    intruder.create().creatingParentsIfNeeded().forPath(infoPath, bytes("garbage"));
    intruder.delete().forPath(infoPath);
    intruder.create().forPath(infoPath, bytes("garbage"));

    await()
        .during(Duration.ofSeconds(2))
        .atMost(TIMEOUT)
        .until(
            () ->
                new String(intruder.getData().forPath(infoPath), StandardCharsets.UTF_8)
                    .equals("garbage"));
    assertThat(standby.session).isNull();
  }

  private Leader lead(String address) throws Exception {
    Leader leader = contend(address);
    await().atMost(TIMEOUT).until(() -> leader.session != null);
    return leader;
  }

  private Leader contend(String address) throws Exception {
    CuratorFramework client = newClient();
    LeaderElectionService service =
        ZooKeeperHaServices.create(client, cluster, false).leaderElectionService(address);
    Leader leader = new Leader(client, service, address);
    toClose.add(service);
    service.start(leader);
    return leader;
  }

  private RecordingListener retrieve() throws Exception {
    LeaderRetrievalService service =
        ZooKeeperHaServices.create(newClient(), cluster, false).leaderRetrievalService();
    RecordingListener listener = new RecordingListener();
    toClose.add(service);
    service.start(listener);
    return listener;
  }

  private CuratorFramework newClient() {
    return zooKeeper.newClient(5_000, 2_000);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** A JobManager stand-in: publishes its address when granted leadership. */
  private final class Leader implements LeaderContender {
    final CuratorFramework client;
    final LeaderElectionService service;
    final String address;
    volatile UUID session;

    Leader(CuratorFramework client, LeaderElectionService service, String address) {
      this.client = client;
      this.service = service;
      this.address = address;
    }

    LeaderInformation published() {
      return new LeaderInformation(session, address);
    }

    /** The node holds this leader's info, as an ephemeral node of its own session. */
    boolean ownsTheNodeWithItsInfo() throws Exception {
      Stat stat = new Stat();
      byte[] data;
      try {
        data = intruder.getData().storingStatIn(stat).forPath(infoPath);
      } catch (org.apache.zookeeper.KeeperException.NoNodeException e) {
        return false;
      }
      return session != null
          && new String(data, StandardCharsets.UTF_8).equals(LeaderInfoText.of(published()))
          && stat.getEphemeralOwner() == client.getZookeeperClient().getZooKeeper().getSessionId();
    }

    @Override
    public void grantLeadership(UUID leaderSessionId) {
      session = leaderSessionId;
      service.confirmLeadership(leaderSessionId, address);
    }

    @Override
    public void revokeLeadership() {
      session = null;
    }
  }
}
