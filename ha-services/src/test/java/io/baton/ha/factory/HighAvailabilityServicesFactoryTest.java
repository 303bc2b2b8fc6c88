package io.baton.ha.factory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.baton.common.config.Configuration;
import io.baton.common.config.IllegalConfigurationException;
import io.baton.common.ids.JobId;
import io.baton.ha.ClientHighAvailabilityServices;
import io.baton.ha.HighAvailabilityServices;
import io.baton.ha.LeaderContender;
import io.baton.ha.LeaderElectionService;
import io.baton.ha.LeaderInformation;
import io.baton.ha.LeaderRetrievalListener;
import io.baton.ha.LeaderRetrievalService;
import io.baton.ha.LeaderStores;
import io.baton.ha.PublishedLeader;
import io.baton.ha.ZooKeeperConnectionState;
import io.baton.storage.FileStores;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What each {@code high-availability.type} gives a JobManager, a TaskManager and the CLI. */
class HighAvailabilityServicesFactoryTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  @TempDir Path dir;
  private TestingServer zooKeeper;
  private FileStores fileStores;

  @BeforeEach
  void setUp() throws Exception {
    zooKeeper = new TestingServer(true);
    fileStores = new FileStores(new Configuration());
  }

  @AfterEach
  void tearDown() throws Exception {
    fileStores.close();
    zooKeeper.close();
  }

  @Test
  void withoutHighAvailabilityTheJobManagerLeadsAtOnceWithItsStoresInMemory() throws Exception {
    Configuration config = Configuration.fromMap(Map.of("high-availability.type", "none"));
    try (HighAvailabilityServices ha = HighAvailabilityServicesFactory.create(config, fileStores)) {
      LeaderElectionService election = ha.leaderElectionService("jm-1:8081");
      Contender contender = new Contender();
      election.start(contender);

      assertThat(contender.session.get()).isNotNull();
      assertThat(ha.contenders(election)).containsExactly("jm-1:8081");
      assertThat(ha.publishedLeader()).isEmpty();
      LeaderStores stores = ha.leaderStores(election, contender.session.get());
      JobId job = JobId.random();
      stores.jobGraphStore().put(job, "graph".getBytes(StandardCharsets.UTF_8));
      // one set for the life of the services: a later session finds the job
      assertThat(ha.leaderStores(election, UUID.randomUUID()).jobGraphStore().jobIds())
          .containsExactly(job);
      assertThatThrownBy(ha::leaderRetrievalService)
          .isInstanceOf(UnsupportedOperationException.class)
          .hasMessageContaining("jobmanager.rpc.address");
    }
  }

  @Test
  void withZooKeeperTheLeaderIsPublishedToTaskManagersAndTheCli() throws Exception {
    Configuration config = zooKeeperConfig();
    try (HighAvailabilityServices jobManager =
            HighAvailabilityServicesFactory.create(config, fileStores);
        HighAvailabilityServices taskManager = HighAvailabilityServicesFactory.create(config);
        ClientHighAvailabilityServices cli = HighAvailabilityServicesFactory.createClient(config)) {
      LeaderElectionService election = jobManager.leaderElectionService("jm-1:8081");
      Contender contender = new Contender();
      election.start(contender);
      await().atMost(TIMEOUT).until(() -> contender.session.get() != null);
      UUID session = contender.session.get();
      LeaderInformation leader = new LeaderInformation(session, "jm-1:6123", "http://jm-1:8081");
      election.confirmLeadership(leader).get();

      await()
          .atMost(TIMEOUT)
          .until(
              () -> jobManager.publishedLeader().map(PublishedLeader::leader), Optional::isPresent);
      assertThat(jobManager.publishedLeader().orElseThrow().leader()).isEqualTo(leader);
      assertThat(jobManager.contenders(election)).containsExactly("jm-1:8081");
      assertThat(retrieved(taskManager.leaderRetrievalService())).isEqualTo(leader);
      assertThat(cli.quorum()).isEqualTo(zooKeeper.getConnectString());
      assertThat(retrieved(cli.leaderRetrievalService())).isEqualTo(leader);
      assertThat(taskManager.describe())
          .isEqualTo("/baton/factory-test on ZooKeeper " + zooKeeper.getConnectString());

      JobId job = JobId.random();
      jobManager.leaderStores(election, session).jobGraphStore().put(job, new byte[] {1});
      assertThat(jobManager.leaderStores(election, session).jobGraphStore().jobIds())
          .containsExactly(job);
      assertThatThrownBy(() -> taskManager.leaderStores(election, session))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("without file stores");
      election.close();
    }
  }

  @Test
  void aJobManagerWithZooKeeperButNoStorageDirStopsWithOneLine() {
    Map<String, String> values = zooKeeperValues();
    values.remove("high-availability.storageDir");
    assertThatThrownBy(
            () -> HighAvailabilityServicesFactory.create(Configuration.fromMap(values), fileStores))
        .isInstanceOf(IllegalConfigurationException.class)
        .hasMessage(
            "high-availability.storageDir is required when high-availability.type is zookeeper:"
                + " where job graphs, jars and checkpoint pointers live");
  }

  @Test
  void anUnreachableQuorumStopsStartUpWithOneLineNamingIt() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Map<String, String> values = zooKeeperValues();
    values.put("high-availability.zookeeper.quorum", "127.0.0.1:" + port);
    values.put("high-availability.zookeeper.client.connection-timeout", "500 ms");
    values.put("high-availability.zookeeper.client.max-retry-attempts", "0");
    assertThatThrownBy(() -> HighAvailabilityServicesFactory.create(Configuration.fromMap(values)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "Cannot reach ZooKeeper quorum '127.0.0.1:"
                + port
                + "' (high-availability.zookeeper.quorum) within 500 ms"
                + " (high-availability.zookeeper.client.connection-timeout)");
  }

  @Test
  void theClientSideNeedsHighAvailability() {
    assertThatThrownBy(
            () ->
                HighAvailabilityServicesFactory.createClient(
                    Configuration.fromMap(Map.of("high-availability.type", "none"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no leader to look up: high-availability.type is not zookeeper");
  }

  @Test
  void theClientDeletesAnEndedClustersZnodesAndFilesButNoOtherClusters() throws Exception {
    Configuration config = zooKeeperConfig();
    Map<String, String> otherValues = zooKeeperValues();
    otherValues.put("high-availability.cluster-id", "other");
    Configuration other = Configuration.fromMap(otherValues);
    for (Configuration cluster : new Configuration[] {config, other}) {
      try (HighAvailabilityServices jobManager =
          HighAvailabilityServicesFactory.create(cluster, fileStores)) {
        LeaderElectionService election = jobManager.leaderElectionService("jm-1:8081");
        Contender contender = new Contender();
        election.start(contender);
        await().atMost(TIMEOUT).until(() -> contender.session.get() != null);
        jobManager
            .leaderStores(election, contender.session.get())
            .jobGraphStore()
            .put(JobId.random(), new byte[] {1});
        election.close();
      }
    }
    assertThat(dir.resolve("ha/factory-test")).isDirectory();

    try (ClientHighAvailabilityServices cli =
        HighAvailabilityServicesFactory.createClient(config)) {
      cli.deleteClusterData();
      cli.deleteClusterData(); // nothing left: no error
    }

    assertThat(dir.resolve("ha/factory-test")).doesNotExist();
    assertThat(dir.resolve("ha/other")).isDirectory();
    try (HighAvailabilityServices jobManager =
        HighAvailabilityServicesFactory.create(config, fileStores)) {
      LeaderElectionService election = jobManager.leaderElectionService("jm-1:8081");
      Contender contender = new Contender();
      election.start(contender);
      await().atMost(TIMEOUT).until(() -> contender.session.get() != null);
      assertThat(
              jobManager.leaderStores(election, contender.session.get()).jobGraphStore().jobIds())
          .as("the deleted cluster's jobs")
          .isEmpty();
      election.close();
    }
  }

  @Test
  void theConnectionStateFollowsTheServerGoingAndComingBack() throws Exception {
    Configuration none = Configuration.fromMap(Map.of("high-availability.type", "none"));
    try (HighAvailabilityServices standalone = HighAvailabilityServicesFactory.create(none);
        HighAvailabilityServices ha = HighAvailabilityServicesFactory.create(zooKeeperConfig())) {
      assertThat(standalone.connectionState()).isEmpty();
      assertThat(ha.connectionState()).contains(ZooKeeperConnectionState.CONNECTED);

      zooKeeper.stop();
      await()
          .atMost(TIMEOUT)
          .until(
              () -> ha.connectionState().orElseThrow(),
              state -> state != ZooKeeperConnectionState.CONNECTED);

      zooKeeper.restart();
      await()
          .atMost(TIMEOUT)
          .until(
              () -> ha.connectionState().orElseThrow(),
              state -> state == ZooKeeperConnectionState.CONNECTED);
    }
  }

  private Configuration zooKeeperConfig() {
    return Configuration.fromMap(zooKeeperValues());
  }

  private Map<String, String> zooKeeperValues() {
    Map<String, String> values = new HashMap<>();
    values.put("high-availability.type", "zookeeper");
    values.put("high-availability.zookeeper.quorum", zooKeeper.getConnectString());
    values.put("high-availability.cluster-id", "factory-test");
    values.put("high-availability.storageDir", dir.resolve("ha").toUri().toString());
    return values;
  }

  private static LeaderInformation retrieved(LeaderRetrievalService retrieval) throws Exception {
    AtomicReference<LeaderInformation> seen = new AtomicReference<>();
    try (retrieval) {
      retrieval.start(
          new LeaderRetrievalListener() {
            @Override
            public void notifyLeaderAddress(String address, UUID leaderSessionId) {}

            @Override
            public void notifyLeader(LeaderInformation leader) {
              seen.set(leader);
            }

            @Override
            public void notifyNoLeader() {}
          });
      await().atMost(TIMEOUT).until(() -> seen.get() != null);
      return seen.get();
    }
  }

  private static final class Contender implements LeaderContender {
    final AtomicReference<UUID> session = new AtomicReference<>();

    @Override
    public void grantLeadership(UUID leaderSessionId) {
      session.set(leaderSessionId);
    }

    @Override
    public void revokeLeadership() {
      session.set(null);
    }
  }
}
