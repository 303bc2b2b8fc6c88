package io.baton.ha.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.baton.common.config.Configuration;
import io.baton.common.ids.JobId;
import io.baton.common.rpc.GrpcServerFactory;
import io.baton.common.rpc.IdentifyRequest;
import io.baton.common.rpc.IdentifyResponse;
import io.baton.common.rpc.JobManagerServiceGrpc;
import io.baton.ha.LeaderInformation;
import io.baton.ha.LeaderStores;
import io.baton.ha.LeadershipLostException;
import io.baton.storage.FileStores;
import io.grpc.Server;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Standbys probing the published leader against a real ZooKeeper server: a leader whose process is
 * proven gone (its port refuses, or another process answers there) loses its latch node within a
 * couple of seconds though its session would live for a minute; a leader that only stays silent
 * never does; a leader whose node is deleted gives up leadership and contends again.
 *
 * <p>A "dead leader" here is a session that holds a latch node and {@code leader/info} while nobody
 * acts for it, as a SIGKILLed JobManager's session does until ZooKeeper expires it.
 */
class DeadLeaderProbeTest {
  private static final Duration INTERVAL = Duration.ofMillis(100);
  private static final int COUNT = 3;
  // the dead leader's session: far longer than any wait in these tests
  private static final int LONG_SESSION_MS = 60_000;
  // a deletion after COUNT proofs, INTERVAL apart, plus the latch's grant: well under this
  private static final Duration GRANT_WITHIN = Duration.ofSeconds(3);

  // ZooKeeper grants sessions up to 20 ticks: 3 s ticks allow the shipped 60 s session
  @RegisterExtension
  static final ZooKeeperServerExtension zooKeeper = ZooKeeperServerExtension.withTickMs(3_000);

  @TempDir Path storage;
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private String cluster;
  private CuratorFramework observer;

  @BeforeEach
  void setUp() {
    cluster = "/baton/c-" + UUID.randomUUID();
    observer = zooKeeper.newClient(5_000, 3_000);
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  @Test
  void aLeaderWhosePortRefusesLosesItsLatchNodeAndTheStandbyLeadsWithinSeconds() throws Exception {
    DeadLeader dead = deadLeader(new LeaderInfoAt(closedPort(), "dead-instance"));
    assertThat(dead.client.getZookeeperClient().getZooKeeper().getSessionTimeout())
        .as("the dead leader's session outlives the test")
        .isGreaterThan(20_000);
    Standby standby = standby("jm-standby");

    long start = System.nanoTime();
    await().atMost(GRANT_WITHIN).until(() -> standby.contender.session != null);
    long grantedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(observer.checkExists().forPath(dead.latchNode)).isNull();
    assertThat(grantedMs).isLessThan(GRANT_WITHIN.toMillis());
  }

  @Test
  void aLeaderPortThatAcceptsButNeverAnswersKeepsItsNodeHoweverManyProbes() throws Exception {
    try (SilentListener silent = new SilentListener()) {
      DeadLeader dead = deadLeader(new LeaderInfoAt(silent.port(), "silent-instance"));
      Standby standby = standby("jm-standby");

      // far more probes than COUNT, each a timeout: none is proof
      assertKeepsItsNodeOverManyProbes(dead, standby);
      assertThat(standby.evidence)
          .allSatisfy(e -> assertThat(e.kind()).isEqualTo(ProbeEvidence.Kind.NO_PROOF));
    }
  }

  @Test
  void aLeaderThatAnswersWithItsOwnIdentityKeepsItsNode() throws Exception {
    Server alive = identityServer("leader-instance");
    DeadLeader leader = deadLeader(new LeaderInfoAt(alive.getPort(), "leader-instance"));
    Standby standby = standby("jm-standby");

    assertKeepsItsNodeOverManyProbes(leader, standby);
    // the first call may time out while the channel connects: no proof either
    assertThat(standby.evidence)
        .allSatisfy(e -> assertThat(e.provesGone()).isFalse())
        .anySatisfy(e -> assertThat(e.kind()).isEqualTo(ProbeEvidence.Kind.LEADER_ANSWERED));
  }

  @Test
  void anotherProcessAnsweringOnTheLeadersAddressIsProofAndTheStandbyLeads() throws Exception {
    Server other = identityServer("a-restarted-jobmanager");
    DeadLeader dead = deadLeader(new LeaderInfoAt(other.getPort(), "dead-instance"));
    Standby standby = standby("jm-standby");

    await().atMost(GRANT_WITHIN).until(() -> standby.contender.session != null);

    assertThat(observer.checkExists().forPath(dead.latchNode)).isNull();
    assertThat(standby.evidence)
        .anySatisfy(
            e ->
                assertThat(e.detail())
                    .contains("another process (a-restarted-jobmanager)")
                    .contains("not the leader's (dead-instance)"));
  }

  @Test
  void aNewerLeaderPublishedBetweenProbeAndDeleteKeepsEveryNode() throws Exception {
    Server newer = identityServer("newer-instance");
    DeadLeader dead = deadLeader(new LeaderInfoAt(closedPort(), "dead-instance"));
    CuratorFramework newerLeader = zooKeeper.newClient(LONG_SESSION_MS, 3_000);
    AtomicBoolean republished = new AtomicBoolean();
    // one proof deletes, so the listener runs between the deciding probe and the delete
    Standby standby =
        standby(
            "jm-standby",
            1,
            (leader, evidence) -> {
              if (evidence.provesGone() && republished.compareAndSet(false, true)) {
                publish(
                    newerLeader,
                    new LeaderInformation(
                        UUID.randomUUID(), "127.0.0.1:" + newer.getPort(), "", "newer-instance"));
              }
            });

    await().atMost(Duration.ofSeconds(10)).until(republished::get);
    long probesThen = standby.election.probeCount();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> standby.election.probeCount() >= probesThen + 3L * COUNT);

    assertThat(observer.checkExists().forPath(dead.latchNode)).isNotNull();
    assertThat(standby.contender.session).isNull();
  }

  @Test
  void aDeposedLeaderGivesUpAtOnceItsWritesFailAndItContendsAgain() throws Exception {
    FileStores fileStores = new FileStores(new Configuration());
    TestLeader leader =
        TestLeader.contend(
            zooKeeper.connectString(), cluster, "jm-leader", fileStores, storage.toUri());
    toClose.add(leader);
    LeaderStores stores = leader.stores();
    ZooKeeperLeaderElectionService election = (ZooKeeperLeaderElectionService) leader.election;
    String latchNode = election.leaderLatchNode();
    UUID session = leader.session;

    observer.delete().forPath(latchNode);

    assertThatThrownBy(() -> stores.jobGraphStore().put(JobId.random(), bytes("after")))
        .isInstanceOf(LeadershipLostException.class);
    await().atMost(Duration.ofSeconds(5)).until(() -> !election.hasLeadership(session));
    // alone in the election, it leads again: under a new token, on a new latch node
    await().atMost(Duration.ofSeconds(10)).until(() -> leader.session != null);
    assertThat(leader.session).isNotEqualTo(session);
    assertThat(election.leaderLatchNode()).isNotEqualTo(latchNode);
    assertThat(observer.checkExists().forPath(election.leaderLatchNode())).isNotNull();
    assertThat(election.contenders()).containsExactly("jm-leader");
  }

  @Test
  void aDeposedLeaderLeavesTheLeadershipToTheNextContender() throws Exception {
    Standby leader = standby("jm-first");
    await().atMost(Duration.ofSeconds(10)).until(() -> leader.contender.session != null);
    Standby next = standby("jm-next");
    String latchNode = leader.election.leaderLatchNode();

    observer.delete().forPath(latchNode);

    await().atMost(Duration.ofSeconds(5)).until(() -> next.contender.session != null);
    await().atMost(Duration.ofSeconds(5)).until(() -> leader.contender.revocations.get() == 1);
    assertThat(leader.contender.session).isNull();
    assertThat(leader.election.contenders()).containsExactlyInAnyOrder("jm-first", "jm-next");
  }

  // ------------------------------------------------------------------------------------ helpers

  /** Waits for four times the probes a deletion needs; the leader's node is still there. */
  private void assertKeepsItsNodeOverManyProbes(DeadLeader leader, Standby standby)
      throws Exception {
    await().atMost(Duration.ofSeconds(30)).until(() -> standby.election.probeCount() >= 4L * COUNT);

    assertThat(observer.checkExists().forPath(leader.latchNode)).isNotNull();
    assertThat(standby.contender.session).isNull();
    assertThat(standby.evidence).isNotEmpty();
  }

  private record LeaderInfoAt(int port, String instanceId) {}

  /** A session holding the first latch node and leader/info, with nobody acting for it. */
  private record DeadLeader(CuratorFramework client, String latchNode) {}

  private record Standby(
      ZooKeeperLeaderElectionService election,
      RecordingContender contender,
      List<ProbeEvidence> evidence) {}

  private DeadLeader deadLeader(LeaderInfoAt at) throws Exception {
    CuratorFramework client = zooKeeper.newClient(LONG_SESSION_MS, 3_000);
    LeaderLatch latch = new LeaderLatch(client, cluster + "/leader/latch", "jm-dead");
    latch.start();
    // not closed: a dead process never closes its latch
    await().atMost(Duration.ofSeconds(10)).until(latch::hasLeadership);
    publish(
        client,
        new LeaderInformation(
            UUID.randomUUID(), "127.0.0.1:" + at.port(), "http://127.0.0.1:1", at.instanceId()));
    return new DeadLeader(client, latch.getOurPath());
  }

  private void publish(CuratorFramework client, LeaderInformation info) {
    String infoPath = cluster + "/leader/info";
    try {
      if (client.checkExists().forPath(infoPath) != null) {
        client.delete().forPath(infoPath);
      }
      client
          .create()
          .creatingParentsIfNeeded()
          .withMode(CreateMode.EPHEMERAL)
          .forPath(infoPath, LeaderInfoText.of(info).getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private Standby standby(String id) throws Exception {
    return standby(id, COUNT, (leader, evidence) -> {});
  }

  private Standby standby(
      String id, int count, java.util.function.BiConsumer<LeaderInformation, ProbeEvidence> onProbe)
      throws Exception {
    CuratorFramework client = zooKeeper.newClient(5_000, 3_000);
    ZooKeeperLeaderElectionService election =
        (ZooKeeperLeaderElectionService)
            ZooKeeperHaServices.create(
                    client, cluster, false, LeaderProbeSettings.plaintext(INTERVAL, count))
                .leaderElectionService(id);
    toClose.add(0, client);
    toClose.add(election);
    RecordingContender contender = new RecordingContender();
    List<ProbeEvidence> evidence = new CopyOnWriteArrayList<>();
    election.start(contender);
    election.onProbe(
        (leader, e) -> {
          evidence.add(e);
          onProbe.accept(leader, e);
        });
    return new Standby(election, contender, evidence);
  }

  private Server identityServer(String instanceId) throws IOException {
    Server grpc =
        GrpcServerFactory.plaintext()
            .forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(
                new JobManagerServiceGrpc.JobManagerServiceImplBase() {
                  @Override
                  public void identify(
                      IdentifyRequest request, StreamObserver<IdentifyResponse> response) {
                    response.onNext(
                        IdentifyResponse.newBuilder().setInstanceId(instanceId).build());
                    response.onCompleted();
                  }
                })
            .build()
            .start();
    toClose.add(() -> grpc.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    return grpc;
  }

  /** A port that was bound and closed: connections to it are refused. */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Accepts every connection and never says a word, like a process that hangs. */
  private static final class SilentListener implements AutoCloseable {
    private final ServerSocket socket;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    SilentListener() throws IOException {
      socket = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
      acceptor =
          new Thread(
              () -> {
                while (!socket.isClosed()) {
                  try {
                    accepted.add(socket.accept());
                  } catch (IOException e) {
                    return;
                  }
                }
              },
              "silent-listener");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      socket.close();
      for (Socket s : accepted) {
        s.close();
      }
    }
  }
}
