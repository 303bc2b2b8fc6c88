package io.baton.it;

import io.baton.common.config.Configuration;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The ZooKeeper ensemble and the {@link HaCluster} of one multi-process HA test, registered with
 * {@code @RegisterExtension}: the test starts them with {@link #start} and the extension tears them
 * down after the test, the cluster's processes first (SIGKILL), then the ensemble, then whatever
 * else the test handed over with {@link #closeAfterCluster}. A test that runs several clusters in
 * turn {@link #stop}s each before it starts the next.
 */
final class HaClusterExtension implements AfterEachCallback {
  private ZooKeeperEnsemble zooKeeper;
  private HaCluster cluster;
  private final List<AutoCloseable> closedLast = new ArrayList<>();

  /**
   * Takes over {@code ensemble} and creates a cluster on it with no process started yet (see {@link
   * HaCluster#create}).
   */
  HaCluster start(
      ZooKeeperEnsemble ensemble,
      String name,
      Path workDir,
      Duration sessionTimeout,
      UnaryOperator<Configuration> settings)
      throws IOException {
    zooKeeper = ensemble;
    cluster = HaCluster.create(name, workDir, ensemble, sessionTimeout, settings);
    return cluster;
  }

  /** The ensemble given to {@link #start}. */
  ZooKeeperEnsemble zooKeeper() {
    return zooKeeper;
  }

  /** The cluster {@link #start} created. */
  HaCluster cluster() {
    return cluster;
  }

  /** Closes {@code resource} after the cluster and the ensemble, in the order handed over. */
  <T extends AutoCloseable> T closeAfterCluster(T resource) {
    closedLast.add(resource);
    return resource;
  }

  /**
   * Closes the cluster and then the ensemble now, for a test that runs several in turn; the next
   * {@link #start} begins afresh. Does nothing when there is none.
   */
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
      cluster = null;
    }
    if (zooKeeper != null) {
      zooKeeper.close();
      zooKeeper = null;
    }
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    stop();
    for (AutoCloseable resource : closedLast) {
      resource.close();
    }
  }
}
