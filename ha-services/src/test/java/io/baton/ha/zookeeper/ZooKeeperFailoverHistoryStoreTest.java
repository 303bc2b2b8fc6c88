package io.baton.ha.zookeeper;

import static io.baton.ha.zookeeper.TestLeader.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.baton.common.security.TokenDigest;
import io.baton.ha.FailoverHistoryStore;
import io.baton.ha.FailoverRecord;
import io.baton.ha.FailoverRecord.Detection;
import io.baton.ha.FailoverRecord.Outcome;
import io.baton.ha.FailoverRecord.RecoveredJob;
import io.baton.ha.LeaderInformation;
import io.baton.ha.PreviousLeadership;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.apache.curator.framework.CuratorFramework;
import org.apache.logging.log4j.Level;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The failover history and the departure notes against a real ZooKeeper server. */
class ZooKeeperFailoverHistoryStoreTest {
  private static final long NOW = 1_800_000_000_000L;

  @RegisterExtension
  static final ZooKeeperServerExtension zooKeeper = new ZooKeeperServerExtension();

  private final Clock clock = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);
  private String cluster;
  private CuratorFramework client;
  private FailoverHistoryStore history;

  @BeforeEach
  void setUp() throws InterruptedException {
    cluster = "/baton/c-" + UUID.randomUUID();
    // the history refuses to read without a connection rather than wait for one
    client = zooKeeper.connectedClient();
    history = new ZooKeeperFailoverHistoryStore(client, cluster, clock);
  }

  @Test
  void keepsTheNewestFiftyEntriesNewestFirstWithTheirJobs() throws Exception {
    for (int i = 1; i <= FailoverHistoryStore.CAPACITY + 2; i++) {
      history.append(entry(i, "jm-" + i));
    }
    history.append(
        new FailoverRecord(
            NOW + 100,
            "jm-b:8081",
            "b-digest",
            "jm-a:8081",
            "a-digest",
            Detection.PROBE,
            "connection refused",
            840L,
            List.of(
                new RecoveredJob("job-1", "Ledger", Outcome.RECONCILED, 4, null, 310L),
                new RecoveredJob("job-2", "WordCount", Outcome.RESTORED, null, 7L, 2_100L))));

    List<FailoverRecord> entries = history.entries();

    assertThat(entries).hasSize(FailoverHistoryStore.CAPACITY);
    FailoverRecord newest = entries.get(0);
    assertThat(newest.leaderId()).isEqualTo("jm-b:8081");
    assertThat(newest.previousLeaderId()).isEqualTo("jm-a:8081");
    assertThat(newest.detection()).isEqualTo(Detection.PROBE);
    assertThat(newest.detectionMs()).isEqualTo(840L);
    assertThat(newest.jobs())
        .extracting(RecoveredJob::name, RecoveredJob::outcome, RecoveredJob::checkpointId)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("Ledger", Outcome.RECONCILED, null),
            org.assertj.core.groups.Tuple.tuple("WordCount", Outcome.RESTORED, 7L));
    assertThat(entries.get(1).leaderId()).isEqualTo("jm-52");
    assertThat(entries.get(FailoverHistoryStore.CAPACITY - 1).leaderId()).isEqualTo("jm-4");
    assertThat(client.getChildren().forPath(cluster + "/failover/history"))
        .hasSize(FailoverHistoryStore.CAPACITY);
  }

  @Test
  void aMalformedEntryIsSkippedWithOneLogLineAndTheOthersAreServed() throws Exception {
    history.append(entry(1, "jm-a:8081"));
    for (String garbage :
        List.of(
            "not json",
            "{\"grantedAt\": 5, \"leaderId\": \"x\"}",
            "{\"grantedAt\": 5, \"leaderId\": \"x\", \"tokenDigest\": \"d\", \"detection\":"
                + " \"PROBE\", \"jobs\": [null]}",
            "")) {
      client
          .create()
          .withMode(CreateMode.PERSISTENT_SEQUENTIAL)
          .forPath(cluster + "/failover/history/entry-", garbage.getBytes(StandardCharsets.UTF_8));
    }
    history.append(entry(2, "jm-b:8081"));

    try (LogRecorder log = LogRecorder.of(ZooKeeperFailoverHistoryStore.class)) {
      assertThat(history.entries())
          .extracting(FailoverRecord::leaderId)
          .containsExactly("jm-b:8081", "jm-a:8081");
      assertThat(log.at(Level.WARN))
          .hasSize(4)
          .allSatisfy(
              line ->
                  assertThat(line)
                      .startsWith("WARN Skipping failover history entry " + cluster)
                      .doesNotContain("\n"));
    }
  }

  @Test
  void theFirstLeaderHasNoPredecessorAndALeaderWithoutANoteWasLostWithItsSession()
      throws Exception {
    assertThat(history.previousLeadership(NOW)).isEqualTo(PreviousLeadership.none());

    history.append(entry(1, "jm-a:8081"));
    PreviousLeadership previous = history.previousLeadership(NOW);

    assertThat(previous.leaderId()).isEqualTo("jm-a:8081");
    assertThat(previous.tokenDigest()).isEqualTo("digest-1");
    assertThat(previous.detection()).isEqualTo(Detection.SESSION_EXPIRED);
    assertThat(previous.detectionMs()).isNull();
  }

  @Test
  void aProbeNoteOfThePreviousLeaderTellsHowLongTheProofTook() throws Exception {
    UUID session = UUID.randomUUID();
    history.append(firstLeader("jm-a:8081", session));
    new LeaderDepartureNote(client, cluster, clock)
        .provenGone(
            new LeaderInformation(session, "jm-a:6123", "http://jm-a:8081", "i-1"),
            "jm-a:6123 refused the connection",
            NOW - 900);

    PreviousLeadership previous = history.previousLeadership(NOW + 50);

    assertThat(previous.leaderId()).isEqualTo("jm-a:8081");
    assertThat(previous.detection()).isEqualTo(Detection.PROBE);
    assertThat(previous.evidence()).isEqualTo("jm-a:6123 refused the connection");
    assertThat(previous.detectionMs()).isEqualTo(900L);
  }

  @Test
  void aLeaderThatStopsLeavesAGracefulNoteForTheNext() throws Exception {
    String path = cluster;
    TestLeader first = TestLeader.contend(zooKeeper.connectString(), path, "jm-a:8081", null, null);
    await().atMost(TIMEOUT).until(() -> first.session != null);
    UUID session = first.session;
    first
        .election
        .confirmLeadership(new LeaderInformation(session, "jm-a:6123", "http://jm-a:8081"))
        .get();
    history.append(firstLeader("jm-a:8081", session));

    first.close();
    try (LogRecorder log = LogRecorder.of(LeaderDepartureNote.class)) {
      PreviousLeadership previous = history.previousLeadership(System.currentTimeMillis());

      assertThat(previous.detection()).isEqualTo(Detection.GRACEFUL_STOP);
      assertThat(previous.tokenDigest()).isEqualTo(TokenDigest.of(session.toString()));
      assertThat(previous.detectionMs()).isNotNull().isBetween(0L, TIMEOUT.toMillis());
      assertThat(log.at(Level.WARN)).isEmpty();
    }
  }

  @Test
  void aNoteOfAnotherLeaderIsNotTakenForThePreviousOnes() throws Exception {
    history.append(entry(1, "jm-b:8081"));
    new LeaderDepartureNote(client, cluster, clock).gracefulStop("jm-a:8081", UUID.randomUUID());

    assertThat(history.previousLeadership(NOW).detection()).isEqualTo(Detection.SESSION_EXPIRED);
  }

  private static FailoverRecord firstLeader(String leaderId, UUID session) {
    return new FailoverRecord(
        NOW - 60_000,
        leaderId,
        TokenDigest.of(session.toString()),
        null,
        null,
        Detection.FIRST_LEADER,
        null,
        null,
        List.of());
  }

  private static FailoverRecord entry(int i, String leaderId) {
    return new FailoverRecord(
        NOW + i,
        leaderId,
        "digest-" + i,
        null,
        null,
        Detection.FIRST_LEADER,
        null,
        null,
        List.of());
  }
}
