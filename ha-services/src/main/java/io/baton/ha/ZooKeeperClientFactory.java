package io.baton.ha;

import io.baton.common.config.Configuration;
import io.baton.common.config.HighAvailabilityOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.SessionConnectionStateErrorPolicy;
import org.apache.curator.framework.state.StandardConnectionStateErrorPolicy;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.utils.ZKPaths;

/** Starts the Curator client of a Baton process from its {@code high-availability.*} keys. */
public final class ZooKeeperClientFactory {
  // Retries of single operations; the session timeout, not these, decides when leadership goes.
  private static final int RETRY_BASE_SLEEP_MS = 1000;
  private static final int RETRY_MAX_RETRIES = 3;

  private ZooKeeperClientFactory() {}

  /**
   * A started client connected to the configured quorum.
   *
   * @throws IllegalStateException with one line naming the quorum when it cannot be reached within
   *     {@code high-availability.zookeeper.client.connection-timeout}
   */
  public static CuratorFramework start(Configuration config) throws InterruptedException {
    String quorum = connectString(config);
    Duration connectionTimeout = config.get(HighAvailabilityOptions.CONNECTION_TIMEOUT);
    CuratorFramework client =
        CuratorFrameworkFactory.builder()
            .connectString(quorum)
            .sessionTimeoutMs((int) config.get(HighAvailabilityOptions.SESSION_TIMEOUT).toMillis())
            .connectionTimeoutMs((int) connectionTimeout.toMillis())
            .retryPolicy(new ExponentialBackoffRetry(RETRY_BASE_SLEEP_MS, RETRY_MAX_RETRIES))
            .connectionStateErrorPolicy(
                config.get(HighAvailabilityOptions.TOLERATE_SUSPENDED)
                    ? new SessionConnectionStateErrorPolicy()
                    : new StandardConnectionStateErrorPolicy())
            .build();
    client.start();
    if (!client.blockUntilConnected((int) connectionTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
      client.close();
      throw new IllegalStateException(
          "Cannot reach ZooKeeper quorum '"
              + quorum
              + "' ("
              + HighAvailabilityOptions.QUORUM.key()
              + ") within "
              + connectionTimeout.toMillis()
              + " ms ("
              + HighAvailabilityOptions.CONNECTION_TIMEOUT.key()
              + ")");
    }
    return client;
  }

  /** {@code <root>/<cluster-id>}, the znode all of one cluster's HA data lives under. */
  public static String clusterPath(Configuration config) {
    return ZKPaths.makePath(
        config.get(HighAvailabilityOptions.ROOT), config.get(HighAvailabilityOptions.CLUSTER_ID));
  }

  /** The configured quorum, with {@code embedded} meaning the local embedded server's port. */
  static String connectString(Configuration config) {
    String quorum = config.get(HighAvailabilityOptions.QUORUM).trim();
    if (quorum.equals("embedded")) {
      return "127.0.0.1:" + config.get(HighAvailabilityOptions.ZOOKEEPER_PORT).trim();
    }
    return quorum;
  }
}
