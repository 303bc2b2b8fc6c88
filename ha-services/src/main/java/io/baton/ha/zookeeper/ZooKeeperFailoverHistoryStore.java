package io.baton.ha.zookeeper;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baton.ha.FailoverHistoryStore;
import io.baton.ha.FailoverRecord;
import io.baton.ha.FailoverRecord.Detection;
import io.baton.ha.PreviousLeadership;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The failover history under {@code <cluster>/failover/history/entry-<sequence>}, one JSON entry
 * per leadership, the newest {@link #CAPACITY} kept. The entries are not fenced: a history entry
 * decides nothing, and a new leader's takeover never waits on it. Entries are input: one that is
 * not readable is skipped with one log line.
 */
final class ZooKeeperFailoverHistoryStore implements FailoverHistoryStore {
  private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperFailoverHistoryStore.class);
  private static final String PREFIX = "entry-";

  private final CuratorFramework client;
  private final String historyPath;
  private final LeaderDepartureNote departures;
  private final ObjectMapper json =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  ZooKeeperFailoverHistoryStore(CuratorFramework client, String clusterPath, Clock clock) {
    this.client = client;
    this.historyPath = ZKPaths.makePath(clusterPath, "failover", "history");
    this.departures = new LeaderDepartureNote(client, clusterPath, clock);
  }

  @Override
  public PreviousLeadership previousLeadership(long grantedAt) throws Exception {
    List<FailoverRecord> entries = entries();
    Optional<LeaderDepartureNote.Departure> note;
    try {
      note = departures.read();
    } catch (IllegalArgumentException e) {
      LOG.warn("Ignoring {}", e.getMessage());
      note = Optional.empty();
    }
    if (entries.isEmpty() && note.isEmpty()) {
      return PreviousLeadership.none();
    }
    String leaderId = entries.isEmpty() ? null : entries.get(0).leaderId();
    String digest = entries.isEmpty() ? null : entries.get(0).tokenDigest();
    if (note.isPresent() && (digest == null || digest.equals(note.get().tokenDigest()))) {
      LeaderDepartureNote.Departure left = note.get();
      Long detectionMs =
          left.kind() == Detection.GRACEFUL_STOP
              ? Long.valueOf(Math.max(0, grantedAt - left.at()))
              : left.detectionMs();
      return new PreviousLeadership(
          leaderId != null ? leaderId : left.leaderId(),
          left.tokenDigest(),
          left.kind(),
          left.evidence(),
          detectionMs);
    }
    return new PreviousLeadership(
        leaderId,
        digest,
        Detection.SESSION_EXPIRED,
        "no stop or probe proof was noted: its ZooKeeper session ended",
        null);
  }

  @Override
  public void append(FailoverRecord record) throws Exception {
    String created =
        client
            .create()
            .creatingParentContainersIfNeeded()
            .withMode(CreateMode.PERSISTENT_SEQUENTIAL)
            .forPath(ZKPaths.makePath(historyPath, PREFIX), json.writeValueAsBytes(record));
    LOG.debug("Failover history entry {} written", created);
    List<String> names = sortedNewestFirst();
    for (String old : names.subList(Math.min(CAPACITY, names.size()), names.size())) {
      try {
        client.delete().forPath(ZKPaths.makePath(historyPath, old));
      } catch (KeeperException.NoNodeException e) {
        // another leader trimmed it already
      }
    }
  }

  @Override
  public List<FailoverRecord> entries() throws Exception {
    if (!client.getZookeeperClient().isConnected()) {
      // asking now would wait for the connection, and a REST request with it
      throw new IllegalStateException(
          "not connected to ZooKeeper: the failover history cannot be read now");
    }
    List<FailoverRecord> entries = new ArrayList<>();
    for (String name : sortedNewestFirst()) {
      String path = ZKPaths.makePath(historyPath, name);
      byte[] bytes;
      try {
        bytes = client.getData().forPath(path);
      } catch (KeeperException.NoNodeException e) {
        continue; // trimmed meanwhile
      }
      try {
        entries.add(checked(json.readValue(bytes, FailoverRecord.class)));
      } catch (IOException | IllegalArgumentException e) {
        LOG.warn("Skipping failover history entry {}: {}", path, LeaderDepartureNote.firstLine(e));
      }
    }
    return entries;
  }

  private List<String> sortedNewestFirst() throws Exception {
    List<String> names;
    try {
      names = new ArrayList<>(client.getChildren().forPath(historyPath));
    } catch (KeeperException.NoNodeException e) {
      return List.of();
    }
    // the sequence suffix is zero-padded: names sort as their order of creation
    names.removeIf(name -> !name.startsWith(PREFIX));
    names.sort(Comparator.reverseOrder());
    return names;
  }

  private static FailoverRecord checked(FailoverRecord record) {
    if (record == null) {
      throw new IllegalArgumentException("it is empty");
    }
    if (record.leaderId() == null || record.tokenDigest() == null) {
      throw new IllegalArgumentException("it names no leader or no token digest");
    }
    if (record.detection() == null || record.grantedAt() <= 0) {
      throw new IllegalArgumentException("it has no detection or no grant time");
    }
    if (record.jobs().stream().anyMatch(job -> job.jobId() == null || job.outcome() == null)) {
      throw new IllegalArgumentException("a recovered job in it has no id or no outcome");
    }
    return record;
  }
}
