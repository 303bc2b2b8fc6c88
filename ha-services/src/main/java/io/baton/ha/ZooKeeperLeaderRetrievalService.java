package io.baton.ha;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows {@code leader/info} with a single-node {@link CuratorCache}; the listener is called on a
 * thread of this service's own, only when the published leader really changes.
 */
final class ZooKeeperLeaderRetrievalService implements LeaderRetrievalService {
  private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperLeaderRetrievalService.class);

  private final CuratorFramework client;
  private final String infoPath;
  private final ExecutorService mainThread;
  private CuratorCache cache;
  private LeaderRetrievalListener listener;
  // Only touched on mainThread; null before the first notification.
  private Optional<LeaderInformation> lastNotified;

  ZooKeeperLeaderRetrievalService(CuratorFramework client, String infoPath) {
    this.client = client;
    this.infoPath = infoPath;
    this.mainThread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "leader-retrieval " + infoPath);
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public void start(LeaderRetrievalListener listener) throws Exception {
    this.listener = listener;
    cache = CuratorCache.build(client, infoPath, CuratorCache.Options.SINGLE_NODE_CACHE);
    cache
        .listenable()
        .addListener(
            CuratorCacheListener.builder()
                .forNodeCache(this::onChange)
                // the first notification: a leader published before we started, or none
                .forInitialized(this::onChange)
                .afterInitialized()
                .build(),
            mainThread);
    cache.start();
  }

  private void onChange() {
    Optional<ChildData> data = cache.get(infoPath);
    Optional<LeaderInformation> current;
    try {
      current =
          data.map(d -> new String(d.getData(), StandardCharsets.UTF_8))
              .map(LeaderInformation::fromZnodeText);
    } catch (IllegalArgumentException e) {
      LOG.warn("Unreadable leader info at {}: {}", infoPath, e.getMessage());
      listener.handleError(e);
      current = Optional.empty();
    }
    if (current.equals(lastNotified)) {
      return;
    }
    lastNotified = current;
    if (current.isPresent()) {
      LOG.info(
          "Leader at {} is {} with token {}",
          infoPath,
          current.get().address(),
          current.get().sessionId());
      listener.notifyLeader(current.get());
    } else {
      LOG.info("No leader published at {}", infoPath);
      listener.notifyNoLeader();
    }
  }

  @Override
  public void close() throws Exception {
    if (cache != null) {
      cache.close();
    }
    mainThread.shutdown();
    mainThread.awaitTermination(10, TimeUnit.SECONDS);
  }
}
