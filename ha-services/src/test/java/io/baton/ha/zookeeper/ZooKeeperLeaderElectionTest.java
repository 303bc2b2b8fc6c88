package io.baton.ha.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.baton.common.config.Configuration;
import io.baton.common.config.HighAvailabilityOptions;
import io.baton.common.config.IllegalConfigurationException;
import io.baton.ha.LeaderContender;
import io.baton.ha.LeaderElectionService;
import io.baton.ha.LeaderInformation;
import io.baton.ha.LeaderRetrievalService;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ZooKeeperLeaderElectionTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @RegisterExtension
  static final ZooKeeperServerExtension zooKeeper = new ZooKeeperServerExtension();

  private final List<AutoCloseable> toClose = new ArrayList<>();
  // Leaders at this moment across all contenders of a test, and the most there ever were.
  private final AtomicInteger leadersNow = new AtomicInteger();
  private final AtomicInteger mostLeadersAtOnce = new AtomicInteger();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  @Test
  void exactlyOneOfThreeLeadsAndClosingTheLeaderMovesLeadership() throws Exception {
    String cluster = "/baton/" + UUID.randomUUID();
    RecordingListener retrieval = retrieve(cluster);
    List<Contender> contenders = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      contenders.add(contend(cluster, "jm-" + i + ":6123"));
    }

    List<String> leaderAddresses = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      // Sample repeatedly: exactly one contender believes it leads, for a while.
      await()
          .atMost(TIMEOUT)
          .during(Duration.ofMillis(300))
          .until(() -> contenders.stream().filter(c -> c.session != null).count() == 1);
      Contender leader = contenders.stream().filter(c -> c.session != null).findFirst().get();
      UUID session = leader.session;
      await()
          .atMost(TIMEOUT)
          .until(() -> retrieval.last().equals(new LeaderInformation(session, leader.address)));
      leaderAddresses.add(leader.address);

      long closedAt = System.nanoTime();
      leader.service.close();
      contenders.remove(leader);
      if (!contenders.isEmpty()) {
        // A closed latch hands over at once, not after a session timeout.
        await().atMost(TIMEOUT).until(() -> contenders.stream().anyMatch(c -> c.session != null));
        assertThat(Duration.ofNanos(System.nanoTime() - closedAt))
            .isLessThan(Duration.ofSeconds(3));
      }
    }

    assertThat(leaderAddresses).doesNotHaveDuplicates().hasSize(3);
    assertThat(mostLeadersAtOnce.get()).isEqualTo(1);
    // The listener saw every leader with its own token, and no leader after the last one left.
    await().atMost(TIMEOUT).until(() -> retrieval.events.get(retrieval.events.size() - 1) == null);
    assertThat(retrieval.leaders().stream().map(LeaderInformation::address))
        .containsSubsequence(leaderAddresses);
    assertThat(retrieval.leaders().stream().map(LeaderInformation::sessionId))
        .doesNotHaveDuplicates();
  }

  @Test
  void leaderWhoseSessionExpiredLosesLeadershipAndCannotPublish() throws Exception {
    String cluster = "/baton/" + UUID.randomUUID();
    RecordingListener retrieval = retrieve(cluster);
    Contender first = contend(cluster, "jm-a:6123");
    await().atMost(TIMEOUT).until(() -> first.session != null);
    Contender second = contend(cluster, "jm-b:6123");
    UUID deposedSession = first.session;
    String deposedLatchNode = ((ZooKeeperLeaderElectionService) first.service).leaderLatchNode();
    await()
        .atMost(TIMEOUT)
        .until(() -> retrieval.last().equals(new LeaderInformation(deposedSession, "jm-a:6123")));

    first.client.getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();

    await().atMost(TIMEOUT).until(() -> first.revocations.get() == 1);
    await().atMost(TIMEOUT).until(() -> second.session != null);
    await()
        .atMost(TIMEOUT)
        .until(() -> retrieval.last().equals(new LeaderInformation(second.session, "jm-b:6123")));

    // The deposed leader's write is fenced twice: by its token and by its gone latch node.
    assertThatThrownBy(
            () ->
                first
                    .service
                    .confirmLeadership(deposedSession, "jm-a:6123")
                    .get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("not the current leadership");
    String infoPath = ZooKeeperHaServices.create(first.client, cluster, false).leaderInfoPath();
    assertThatThrownBy(
            () ->
                ZooKeeperLeaderElectionService.writeLeaderInformation(
                    first.client,
                    deposedLatchNode,
                    infoPath,
                    new LeaderInformation(deposedSession, "jm-a:6123")))
        .hasMessageContaining("Latch node " + deposedLatchNode + " is gone");
    assertThat(retrieval.last()).isEqualTo(new LeaderInformation(second.session, "jm-b:6123"));
    // No "at most one leader at once" check here: an expired leader hears of it from its own
    // client's events, which may come after the new leader's grant on a busy machine. That window
    // is why every write is fenced on the latch node, as the failures above show.
    assertThat(first.session).isNull();
  }

  @Test
  void twoClusterIdsOnOneServerDoNotSeeEachOther() throws Exception {
    String clusterX = "/baton/x-" + UUID.randomUUID();
    String clusterY = "/baton/y-" + UUID.randomUUID();
    RecordingListener retrievalX = retrieve(clusterX);
    RecordingListener retrievalY = retrieve(clusterY);
    Contender x = contend(clusterX, "jm-x:6123");
    Contender y = contend(clusterY, "jm-y:6123");

    await().atMost(TIMEOUT).until(() -> x.session != null && y.session != null);
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                new LeaderInformation(x.session, "jm-x:6123").equals(retrievalX.last())
                    && new LeaderInformation(y.session, "jm-y:6123").equals(retrievalY.last()));
    assertThat(retrievalX.leaders()).containsExactly(new LeaderInformation(x.session, "jm-x:6123"));
    assertThat(retrievalY.leaders()).containsExactly(new LeaderInformation(y.session, "jm-y:6123"));
  }

  @Test
  void retrievalStartedAfterTheLeaderPublishedFindsIt() throws Exception {
    String cluster = "/baton/" + UUID.randomUUID();
    Contender leader = contend(cluster, "jm-early:6123");
    RecordingListener early = retrieve(cluster);
    await().atMost(TIMEOUT).until(() -> leader.session != null);
    UUID session = leader.session;
    LeaderInformation published = new LeaderInformation(session, "jm-early:6123");
    await().atMost(TIMEOUT).until(() -> published.equals(early.last()));

    // A TaskManager or CLI that starts next to a running cluster: the node exists already.
    RecordingListener late = retrieve(cluster);
    await().atMost(TIMEOUT).until(() -> published.equals(late.last()));
    assertThat(late.events).containsExactly(published);
  }

  @Test
  void garbledLeaderInfoIsReportedAsAnErrorAndNoLeader() throws Exception {
    String cluster = "/baton/" + UUID.randomUUID();
    RecordingListener retrieval = retrieve(cluster);
    String infoPath = ZooKeeperHaServices.create(newClient(), cluster, false).leaderInfoPath();

    newClient()
        .create()
        .creatingParentsIfNeeded()
        .forPath(infoPath, "jm-z:6123\nnot-a-uuid".getBytes(StandardCharsets.UTF_8));

    await().atMost(TIMEOUT).until(() -> !retrieval.errors.isEmpty());
    assertThat(retrieval.errors.get(0)).hasMessageContaining("no valid session id");
    assertThat(retrieval.leaders()).isEmpty();
  }

  @Test
  void unreachableQuorumIsOneLineNamingIt() {
    Configuration config =
        new Configuration()
            .set(HighAvailabilityOptions.QUORUM, "127.0.0.1:1")
            .set(HighAvailabilityOptions.CONNECTION_TIMEOUT, Duration.ofMillis(500))
            .set(HighAvailabilityOptions.MAX_RETRY_ATTEMPTS, 1)
            .set(HighAvailabilityOptions.RETRY_WAIT, Duration.ofMillis(100));
    List<String> failed = new CopyOnWriteArrayList<>();

    assertThatThrownBy(
            () -> ZooKeeperClientFactory.start(config, (n, of) -> failed.add(n + " of " + of)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "Cannot reach ZooKeeper quorum '127.0.0.1:1' (high-availability.zookeeper.quorum)"
                + " within 500 ms (high-availability.zookeeper.client.connection-timeout),"
                + " 2 attempts 100 ms apart (high-availability.zookeeper.client.max-retry-attempts,"
                + " high-availability.zookeeper.client.retry-wait)");
    assertThat(failed).containsExactly("1 of 2");
    assertThatThrownBy(
            () ->
                ZooKeeperClientFactory.start(
                    config.set(HighAvailabilityOptions.MAX_RETRY_ATTEMPTS, -1)))
        .isInstanceOf(IllegalConfigurationException.class)
        .hasMessage(
            "invalid value '-1' for configuration key"
                + " 'high-availability.zookeeper.client.max-retry-attempts': allowed range is >= 0");
  }

  @Test
  void aQuorumThatComesUpWhileStartUpRetriesIsUsed() throws Exception {
    int port = InstanceSpec.getRandomPort();
    Configuration config =
        new Configuration()
            .set(HighAvailabilityOptions.QUORUM, "127.0.0.1:" + port)
            .set(HighAvailabilityOptions.CONNECTION_TIMEOUT, Duration.ofMillis(300))
            .set(HighAvailabilityOptions.RETRY_WAIT, Duration.ofMillis(200))
            .set(HighAvailabilityOptions.MAX_RETRY_ATTEMPTS, 100);
    CountDownLatch firstAttemptFailed = new CountDownLatch(1);
    CompletableFuture<CuratorFramework> started =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return ZooKeeperClientFactory.start(
                    config, (n, of) -> firstAttemptFailed.countDown());
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    assertThat(firstAttemptFailed.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(started).isNotDone();

    try (TestingServer late = new TestingServer(port, true)) {
      CuratorFramework client = started.get(30, TimeUnit.SECONDS);
      toClose.add(client);
      client.create().forPath("/came-up-late", new byte[] {1});
      assertThat(client.getData().forPath("/came-up-late")).containsExactly(1);
    }
  }

  private CuratorFramework newClient() {
    return zooKeeper.newClient(5_000, 2_000);
  }

  private Contender contend(String cluster, String address) throws Exception {
    CuratorFramework client = newClient();
    LeaderElectionService service =
        ZooKeeperHaServices.create(client, cluster, false).leaderElectionService();
    Contender contender = new Contender(client, service, address);
    toClose.add(service);
    service.start(contender);
    return contender;
  }

  private RecordingListener retrieve(String cluster) throws Exception {
    LeaderRetrievalService service =
        ZooKeeperHaServices.create(newClient(), cluster, false).leaderRetrievalService();
    RecordingListener listener = new RecordingListener();
    toClose.add(service);
    service.start(listener);
    return listener;
  }

  /** A JobManager stand-in: publishes its address as soon as it is granted leadership. */
  private final class Contender implements LeaderContender {
    final CuratorFramework client;
    final LeaderElectionService service;
    final String address;
    final AtomicInteger revocations = new AtomicInteger();
    volatile UUID session;

    Contender(CuratorFramework client, LeaderElectionService service, String address) {
      this.client = client;
      this.service = service;
      this.address = address;
    }

    @Override
    public void grantLeadership(UUID leaderSessionId) {
      mostLeadersAtOnce.accumulateAndGet(leadersNow.incrementAndGet(), Math::max);
      session = leaderSessionId;
      service.confirmLeadership(leaderSessionId, address);
    }

    @Override
    public void revokeLeadership() {
      session = null;
      leadersNow.decrementAndGet();
      revocations.incrementAndGet();
    }
  }
}
