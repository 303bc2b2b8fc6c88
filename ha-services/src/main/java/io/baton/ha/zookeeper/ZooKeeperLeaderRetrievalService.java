package io.baton.ha.zookeeper;

import io.baton.common.concurrent.MainThreadExecutor;
import io.baton.common.concurrent.SingleThreadMainThreadExecutor;
import io.baton.common.security.TokenDigest;
import io.baton.ha.LeaderInformation;
import io.baton.ha.LeaderRetrievalListener;
import io.baton.ha.LeaderRetrievalService;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.state.ConnectionState;
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
  private final MainThreadExecutor mainThread;
  // Only touched on mainThread.
  private CuratorCache cache;
  private volatile boolean closed;
  private LeaderRetrievalListener listener;
  // Only touched on mainThread; null before the first notification.
  private Optional<LeaderInformation> lastNotified;

  ZooKeeperLeaderRetrievalService(CuratorFramework client, String infoPath) {
    this.client = client;
    this.infoPath = infoPath;
    this.mainThread =
        new SingleThreadMainThreadExecutor(
            "Leader retrieval of " + infoPath, "leader-retrieval " + infoPath);
  }

  @Override
  public void start(LeaderRetrievalListener listener) throws Exception {
    this.listener = listener;
    client.getConnectionStateListenable().addListener(this::onConnectionStateChanged, mainThread);
    mainThread
        .call(
            () -> {
              startCache();
              return null;
            })
        .get(30, TimeUnit.SECONDS);
  }

  /**
   * A fresh cache: its initialization reports what is published right now. Main thread
   * (package-private for the confinement test).
   */
  void startCache() {
    mainThread.assertRunningInMainThread();
    if (cache != null) {
      cache.close();
    }
    CuratorCache fresh =
        CuratorCache.build(client, infoPath, CuratorCache.Options.SINGLE_NODE_CACHE);
    fresh
        .listenable()
        .addListener(
            CuratorCacheListener.builder()
                .forNodeCache(() -> onChange(fresh))
                // the first notification: a leader published before we started, or none
                .forInitialized(() -> onChange(fresh))
                .afterInitialized()
                .build(),
            mainThread);
    cache = fresh;
    fresh.start();
  }

  /**
   * A lost session also loses the cache's watch, and the leader may have moved meanwhile: say there
   * is no known leader, and read afresh once a new session is connected.
   */
  private void onConnectionStateChanged(CuratorFramework ignored, ConnectionState state) {
    mainThread.assertRunningInMainThread();
    if (closed) {
      return;
    }
    if (state == ConnectionState.LOST) {
      LOG.warn("ZooKeeper session lost; no leader known at {} until reconnected", infoPath);
      notifyIfChanged(Optional.empty());
    } else if (state == ConnectionState.RECONNECTED) {
      LOG.info("Reconnected to ZooKeeper; reading the leader at {} afresh", infoPath);
      startCache();
    }
  }

  private void onChange(CuratorCache source) {
    mainThread.assertRunningInMainThread();
    if (source != cache || closed) {
      return; // a replaced cache's late event
    }
    Optional<ChildData> data = source.get(infoPath);
    Optional<LeaderInformation> current;
    try {
      current =
          data.map(d -> new String(d.getData(), StandardCharsets.UTF_8)).map(LeaderInfoText::parse);
    } catch (IllegalArgumentException e) {
      IllegalArgumentException unreadable =
          new IllegalArgumentException(
              "the leader info node " + infoPath + " is unreadable: " + e.getMessage(), e);
      LOG.warn("{}; no leader known until the leader rewrites it", unreadable.getMessage());
      listener.handleError(unreadable);
      current = Optional.empty();
    }
    notifyIfChanged(current);
  }

  private void notifyIfChanged(Optional<LeaderInformation> current) {
    mainThread.assertRunningInMainThread();
    if (current.equals(lastNotified)) {
      return;
    }
    lastNotified = current;
    if (current.isPresent()) {
      LOG.info(
          "Leader at {} is {} with fencing token digest {}",
          infoPath,
          current.get().address(),
          TokenDigest.of(current.get().sessionId().toString()));
      listener.notifyLeader(current.get());
    } else {
      LOG.info("No leader published at {}", infoPath);
      listener.notifyNoLeader();
    }
  }

  @Override
  public void close() throws Exception {
    closed = true;
    mainThread
        .call(
            () -> {
              if (cache != null) {
                cache.close();
              }
              return null;
            })
        .get(10, TimeUnit.SECONDS);
    mainThread.shutdown(Duration.ofSeconds(10));
  }
}
