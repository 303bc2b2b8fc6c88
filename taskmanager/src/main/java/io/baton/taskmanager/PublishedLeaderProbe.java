package io.baton.taskmanager;

import io.baton.ha.LeaderInformation;
import io.baton.ha.LeaderRetrievalListener;
import io.baton.ha.LeaderRetrievalService;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader retrieval that also reports the leader published before it started. The ZooKeeper
 * retrieval service reports every change after its cache has loaded, but not a leader that was
 * already published when it started (it drops the cache's initial events), and a TaskManager
 * started next to a running cluster would wait for the next failover. So after starting it, this
 * reads {@code leader/info} once and tells the listener. Reading it again later is the retrieval's
 * job; unreadable data is left to it too.
 */
final class PublishedLeaderProbe implements LeaderRetrievalService {
  private static final Logger LOG = LoggerFactory.getLogger(PublishedLeaderProbe.class);

  private final LeaderRetrievalService retrieval;
  private final CuratorFramework client;
  private final String infoPath;

  PublishedLeaderProbe(LeaderRetrievalService retrieval, CuratorFramework client, String infoPath) {
    this.retrieval = retrieval;
    this.client = client;
    this.infoPath = infoPath;
  }

  @Override
  public void start(LeaderRetrievalListener listener) throws Exception {
    retrieval.start(listener);
    read().ifPresent(listener::notifyLeader);
  }

  /** The leader published right now, if one is and its data reads as leader info. */
  Optional<LeaderInformation> read() {
    byte[] data;
    try {
      data = client.getData().forPath(infoPath);
    } catch (KeeperException.NoNodeException none) {
      return Optional.empty();
    } catch (Exception e) {
      LOG.debug("Could not read {}; leaving it to leader retrieval", infoPath, e);
      return Optional.empty();
    }
    // <rpc address>\n<session id>[\n<rest url>], as the leader election writes it
    List<String> lines = new String(data, StandardCharsets.UTF_8).lines().toList();
    if (lines.size() < 2 || lines.size() > 3 || lines.get(0).isBlank()) {
      return Optional.empty();
    }
    try {
      UUID session = UUID.fromString(lines.get(1).trim());
      return Optional.of(
          new LeaderInformation(
              session, lines.get(0), lines.size() == 3 ? lines.get(2).trim() : ""));
    } catch (IllegalArgumentException garbled) {
      return Optional.empty();
    }
  }

  @Override
  public void close() throws Exception {
    retrieval.close();
  }
}
