package io.baton.coordinator.ha;

import io.baton.coordinator.rest.HaHealth;
import io.baton.coordinator.rest.HaStatus;
import io.baton.ha.FailoverHistoryStore;
import io.baton.ha.FailoverRecord;
import io.baton.ha.ZooKeeperConnectionStatus;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the HA console reads from a JobManager: who leads ({@link JobManagerHaStatus}), the
 * cluster's failover history, and the ZooKeeper connection and HA storage as last seen.
 */
public final class HaConsoleSource implements HaStatus.Source {
  private final HaStatus.Source status;
  private final FailoverHistoryStore history;
  private final Supplier<Optional<ZooKeeperConnectionStatus>> connection;
  private final StorageReachability storage;

  /**
   * @param connection the ZooKeeper connection's state; empty without high availability
   * @param storage the HA storage's check; null when there is none to check
   */
  public HaConsoleSource(
      HaStatus.Source status,
      FailoverHistoryStore history,
      Supplier<Optional<ZooKeeperConnectionStatus>> connection,
      StorageReachability storage) {
    this.status = status;
    this.history = history;
    this.connection = connection;
    this.storage = storage;
  }

  @Override
  public HaStatus current() {
    return status.current();
  }

  @Override
  public List<FailoverRecord> history() throws Exception {
    return history.entries();
  }

  @Override
  public HaHealth health() {
    return new HaHealth(connection.get().orElse(null), storage == null ? null : storage.current());
  }
}
