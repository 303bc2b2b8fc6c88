package io.baton.ha.factory;

import io.baton.common.config.Configuration;
import io.baton.common.config.HighAvailabilityOptions;
import io.baton.ha.ClientHighAvailabilityServices;
import io.baton.ha.HighAvailabilityServices;
import io.baton.ha.LeaderStores;
import io.baton.ha.standalone.StandaloneHaServices;
import io.baton.ha.zookeeper.ZooKeeperHaServices;
import io.baton.storage.FileStores;

/**
 * Chooses the high-availability services from {@code high-availability.type}: {@code zookeeper}
 * (leader latch, leader info and HA stores under {@code high-availability.zookeeper.path.root}) or
 * {@code none} (this JobManager leads alone, its stores in memory). The only class of the API
 * package that knows the implementations.
 */
public final class HighAvailabilityServicesFactory {
  private HighAvailabilityServicesFactory() {}

  /**
   * The services of a JobManager: with ZooKeeper it checks that {@code
   * high-availability.storageDir} is set and writable, warns about open ACLs, connects and checks
   * the SASL login.
   *
   * @throws io.baton.common.config.IllegalConfigurationException one line naming the key of a bad
   *     value
   * @throws IllegalStateException with one line naming the quorum when it cannot be reached or
   *     refuses the login
   */
  public static HighAvailabilityServices create(Configuration config, FileStores fileStores)
      throws InterruptedException {
    return zooKeeper(config)
        ? ZooKeeperHaServices.connect(config, fileStores)
        : StandaloneHaServices.create();
  }

  /**
   * The services of a process that only follows the leader (a TaskManager): election and leader
   * retrieval, no HA stores.
   *
   * @throws IllegalStateException with one line naming the quorum when it cannot be reached or
   *     refuses the login
   */
  public static HighAvailabilityServices create(Configuration config) throws InterruptedException {
    return zooKeeper(config)
        ? ZooKeeperHaServices.connect(config, null)
        : StandaloneHaServices.create();
  }

  /**
   * The client side: where the leader's REST URL is looked up, without a JobManager's services.
   *
   * @throws IllegalArgumentException when {@code high-availability.type} is not {@code zookeeper}:
   *     without high availability the address is configured, not looked up
   */
  public static ClientHighAvailabilityServices createClient(Configuration config) {
    if (!zooKeeper(config)) {
      throw new IllegalArgumentException(
          "no leader to look up: " + HighAvailabilityOptions.TYPE.key() + " is not zookeeper");
    }
    return ZooKeeperHaServices.client(config);
  }

  /** In-memory stores, as a JobManager without high availability keeps them. */
  public static LeaderStores inMemoryStores() {
    return StandaloneHaServices.inMemoryStores();
  }

  private static boolean zooKeeper(Configuration config) {
    return config.get(HighAvailabilityOptions.TYPE) == HighAvailabilityOptions.Type.ZOOKEEPER;
  }
}
