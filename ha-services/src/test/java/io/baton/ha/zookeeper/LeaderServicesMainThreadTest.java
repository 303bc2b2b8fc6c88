package io.baton.ha.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Leader election and retrieval keep their state on their own thread, and say so when not. */
class LeaderServicesMainThreadTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @RegisterExtension
  static final ZooKeeperServerExtension zooKeeper = new ZooKeeperServerExtension();

  private CuratorFramework client;
  private final String cluster = "/baton/" + UUID.randomUUID();

  @BeforeEach
  void connect() {
    // Curator's default timeouts
    client = zooKeeper.newClient(60_000, 15_000);
  }

  @Test
  void theElectionRefusesAWatchCheckFromAnotherThreadAndKeepsLeading() throws Exception {
    ZooKeeperLeaderElectionService election =
        new ZooKeeperLeaderElectionService(
            client,
            cluster + "/leader/latch",
            cluster + "/leader/info",
            "jm-0",
            true,
            LeaderProbeSettings.disabled());
    RecordingContender leader = new RecordingContender();
    try {
      election.start(leader);
      await().atMost(TIMEOUT).until(() -> leader.session != null);

      assertThatThrownBy(election::checkPublishedInfo)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "Leader election on "
                  + cluster
                  + "/leader/latch was called on thread '"
                  + Thread.currentThread().getName()
                  + "', but only its main thread 'leader-election "
                  + cluster
                  + "/leader/latch' may touch its state");
      assertThat(election.hasLeadership(leader.session)).isTrue();
    } finally {
      election.close();
    }
  }

  @Test
  void retrievalRefusesToRestartItsCacheFromAnotherThread() throws Exception {
    ZooKeeperLeaderRetrievalService retrieval =
        new ZooKeeperLeaderRetrievalService(client, cluster + "/leader/info");
    RecordingListener listener = new RecordingListener();
    try {
      retrieval.start(listener);

      assertThatThrownBy(retrieval::startCache)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "Leader retrieval of "
                  + cluster
                  + "/leader/info was called on thread '"
                  + Thread.currentThread().getName()
                  + "', but only its main thread 'leader-retrieval "
                  + cluster
                  + "/leader/info' may touch its state");
    } finally {
      retrieval.close();
    }
  }
}
