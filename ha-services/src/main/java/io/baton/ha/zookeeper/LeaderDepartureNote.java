package io.baton.ha.zookeeper;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baton.common.security.TokenDigest;
import io.baton.ha.FailoverRecord.Detection;
import io.baton.ha.LeaderInformation;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the last leader that was seen leave left: a leader stopping gracefully, or the standby whose
 * probes proved it gone, writes one note at {@code <cluster>/failover/departure} just before the
 * leader's latch node goes, so the next leader can tell in its failover history how and how fast
 * its predecessor was found gone. Best effort: a note that cannot be written is logged and the
 * departure goes on; the next leader then says "session expired".
 */
final class LeaderDepartureNote {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderDepartureNote.class);

  private final CuratorFramework client;
  private final String path;
  private final ObjectMapper json =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /**
   * The note's format.
   *
   * @param at epoch millis of the departure (the stop, or the proof that deletes the latch node)
   * @param detectionMs first failed probe to the deletion (probe); null for a graceful stop
   */
  record Departure(
      Detection kind,
      String leaderId,
      String tokenDigest,
      String evidence,
      long at,
      Long detectionMs) {}

  private final Clock clock;

  LeaderDepartureNote(CuratorFramework client, String clusterPath, Clock clock) {
    this.client = client;
    this.path = ZKPaths.makePath(clusterPath, "failover", "departure");
    this.clock = clock;
  }

  /**
   * The note of the cluster whose leader publishes at {@code infoPath} ({@code
   * <cluster>/leader/info}).
   */
  static LeaderDepartureNote ofLeaderInfo(CuratorFramework client, String infoPath) {
    String leaderPath = ZKPaths.getPathAndNode(infoPath).getPath();
    return new LeaderDepartureNote(
        client, ZKPaths.getPathAndNode(leaderPath).getPath(), Clock.systemUTC());
  }

  /** Epoch millis now, by the clock the notes are written with. */
  long now() {
    return clock.millis();
  }

  /** The leader of {@code session}, named {@code leaderId}, stops and leaves the election. */
  void gracefulStop(String leaderId, UUID session) {
    long now = clock.millis();
    write(
        new Departure(
            Detection.GRACEFUL_STOP,
            leaderId,
            TokenDigest.of(session.toString()),
            "it stopped and left the election",
            now,
            null));
  }

  /** Probes proved {@code leader} gone from {@code firstProofAt} on; its latch node goes now. */
  void provenGone(LeaderInformation leader, String evidence, long firstProofAt) {
    long now = clock.millis();
    write(
        new Departure(
            Detection.PROBE,
            leader.contenderId(),
            TokenDigest.of(leader.sessionId().toString()),
            evidence,
            now,
            Math.max(0, now - firstProofAt)));
  }

  private void write(Departure departure) {
    try {
      byte[] bytes = json.writeValueAsBytes(departure);
      try {
        client.setData().forPath(path, bytes);
      } catch (KeeperException.NoNodeException e) {
        client.create().creatingParentContainersIfNeeded().forPath(path, bytes);
      }
    } catch (Exception e) {
      LOG.warn(
          "Could not note at {} that leader {} left ({}): {}; the next leader's failover history"
              + " will say its session expired",
          path,
          departure.tokenDigest(),
          departure.kind(),
          e.toString());
    }
  }

  /**
   * The last note; empty when there is none.
   *
   * @throws IllegalArgumentException with one line when the note cannot be read as one
   * @throws Exception when ZooKeeper cannot be read
   */
  Optional<Departure> read() throws Exception {
    byte[] bytes;
    try {
      bytes = client.getData().forPath(path);
    } catch (KeeperException.NoNodeException e) {
      return Optional.empty();
    }
    Departure departure;
    try {
      departure = json.readValue(bytes, Departure.class);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "the leader departure note at " + path + " is not one: " + firstLine(e), e);
    }
    if (departure == null || departure.kind() == null || departure.tokenDigest() == null) {
      throw new IllegalArgumentException(
          "the leader departure note at " + path + " names no kind or no token digest");
    }
    return Optional.of(departure);
  }

  /** Jackson's messages run over several lines (with the source excerpt); logs get the first. */
  static String firstLine(Exception e) {
    String message = String.valueOf(e.getMessage());
    return message.lines().findFirst().orElse(message);
  }
}
