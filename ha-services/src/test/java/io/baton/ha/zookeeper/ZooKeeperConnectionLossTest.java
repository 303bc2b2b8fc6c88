package io.baton.ha.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.baton.common.config.Configuration;
import io.baton.common.config.HighAvailabilityOptions;
import io.baton.ha.LeaderElectionService;
import io.baton.ha.LeaderInformation;
import io.baton.ha.LeaderRetrievalListener;
import io.baton.ha.LeaderRetrievalService;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SUSPENDED and LOST are told apart: each test stops and restarts its own server. */
class ZooKeeperConnectionLossTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private TestingServer server;
  private CuratorFramework client;
  private LeaderElectionService election;

  @BeforeEach
  void startServer() throws Exception {
    server = new TestingServer(true);
  }

  @AfterEach
  void stopAll() throws Exception {
    if (election != null) {
      election.close();
    }
    if (client != null) {
      client.close();
    }
    server.close();
  }

  @Test
  void suspendedConnectionRevokesLeadershipWhenNotTolerated() throws Exception {
    RecordingContender contender = lead(false);
    UUID first = contender.session;

    server.stop();
    await().atMost(TIMEOUT).until(() -> contender.revocations.get() == 1);
    assertThat(contender.session).isNull();

    server.restart();
    await().atMost(TIMEOUT).until(() -> contender.session != null);
    assertThat(contender.session).isNotEqualTo(first);
  }

  @Test
  void suspendedConnectionKeepsLeadershipWhenTolerated() throws Exception {
    RecordingContender contender = lead(true);
    UUID first = contender.session;
    AtomicInteger suspensions = new AtomicInteger();
    client
        .getConnectionStateListenable()
        .addListener(
            (c, state) -> {
              if (state == ConnectionState.SUSPENDED) {
                suspensions.incrementAndGet();
              }
            });

    server.stop();
    await().atMost(TIMEOUT).until(() -> suspensions.get() == 1);
    server.restart();
    await().atMost(TIMEOUT).until(client.getZookeeperClient()::isConnected);

    await()
        .atMost(Duration.ofSeconds(3))
        .during(Duration.ofSeconds(1))
        .until(() -> contender.revocations.get() == 0);
    assertThat(contender.session).isEqualTo(first);
  }

  @Test
  void retrievalWhoseSessionExpiredFollowsTheLeaderThatMovedMeanwhile() throws Exception {
    RecordingContender first = lead(false);
    String clusterPath = "/baton/default";
    Configuration config =
        new Configuration()
            .set(HighAvailabilityOptions.QUORUM, server.getConnectString())
            .set(HighAvailabilityOptions.CONNECTION_TIMEOUT, Duration.ofSeconds(2));
    UUID firstSession = first.session;
    election.confirmLeadership(new LeaderInformation(firstSession, "jm-1:6123")).get();

    try (CuratorFramework retrievalClient = ZooKeeperClientFactory.start(config);
        CuratorFramework secondClient = ZooKeeperClientFactory.start(config);
        LeaderElectionService secondElection =
            ZooKeeperHaServices.create(secondClient, clusterPath, false).leaderElectionService();
        LeaderRetrievalService retrieval =
            ZooKeeperHaServices.create(retrievalClient, clusterPath, false)
                .leaderRetrievalService()) {
      List<String> events = new CopyOnWriteArrayList<>();
      retrieval.start(
          new LeaderRetrievalListener() {
            @Override
            public void notifyLeaderAddress(String address, UUID leaderSessionId) {
              events.add(address);
            }

            @Override
            public void notifyNoLeader() {
              events.add("none");
            }
          });
      await().atMost(TIMEOUT).until(() -> events.contains("jm-1:6123"));
      RecordingContender second = new RecordingContender();
      secondElection.start(second);

      // The retrieval's session expires, and the leader moves before it is back.
      retrievalClient.getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();
      election.close();
      election = null;
      await().atMost(TIMEOUT).until(() -> second.session != null);
      secondElection.confirmLeadership(new LeaderInformation(second.session, "jm-2:6123")).get();

      await().atMost(TIMEOUT).until(() -> events.contains("jm-2:6123"));
      assertThat(events.get(events.size() - 1)).isEqualTo("jm-2:6123");
    }
  }

  private RecordingContender lead(boolean tolerateSuspended) throws Exception {
    Configuration config =
        new Configuration()
            .set(HighAvailabilityOptions.QUORUM, server.getConnectString())
            .set(HighAvailabilityOptions.SESSION_TIMEOUT, Duration.ofSeconds(20))
            .set(HighAvailabilityOptions.CONNECTION_TIMEOUT, Duration.ofSeconds(2))
            .set(HighAvailabilityOptions.TOLERATE_SUSPENDED, tolerateSuspended);
    client = ZooKeeperClientFactory.start(config);
    election =
        ZooKeeperHaServices.create(
                client, ZooKeeperClientFactory.clusterPath(config), tolerateSuspended)
            .leaderElectionService();
    RecordingContender contender = new RecordingContender();
    election.start(contender);
    await().atMost(TIMEOUT).until(() -> contender.session != null);
    return contender;
  }
}
