package io.baton.coordinator;

import io.baton.common.config.Configuration;
import io.baton.common.config.HighAvailabilityOptions;
import io.baton.coordinator.ha.FailoverRecorder;
import io.baton.coordinator.ha.HaConsoleSource;
import io.baton.coordinator.ha.JobManagerHaStatus;
import io.baton.coordinator.ha.JobManagerLeadership;
import io.baton.coordinator.ha.LeaderSession;
import io.baton.coordinator.ha.StorageReachability;
import io.baton.coordinator.rest.HaHealth;
import io.baton.coordinator.rest.HaStatus;
import io.baton.ha.FailoverRecord;
import io.baton.ha.HighAvailabilityServices;
import io.baton.ha.LeaderElectionService;
import io.baton.storage.FileStores;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * What a JobManager's HA console shows and keeps: who leads ({@code GET /ha}), the failover history
 * it records for each of its leaderships ({@code GET /ha/history}) and the health of ZooKeeper and
 * {@code high-availability.storageDir} ({@code GET /ha/health}).
 *
 * <p>The REST API serves it from before the election exists, since the contender id contains the
 * bound REST port: until {@link #bind} it answers that this JobManager does not lead and knows no
 * leader. The failover recorder and the storage check share one thread of their own.
 */
final class HaConsole
    implements HaStatus.Source, JobManagerLeadership.LeadingListener, AutoCloseable {
  private static final Duration FAILOVER_HISTORY_POLL = Duration.ofMillis(250);
  // reconciliation waits up to twice its timeout; the entry is written by then at the latest
  private static final Duration FAILOVER_HISTORY_SETTLE = Duration.ofMinutes(3);
  private static final Duration STORAGE_CHECK_INTERVAL = Duration.ofSeconds(10);
  private static final Duration STORAGE_CHECK_TIMEOUT = Duration.ofSeconds(5);

  private final String mode;
  private final ScheduledExecutorService thread;
  private final StorageReachability storage;
  // set once by bind(), before the election can grant leadership; read by REST threads
  private volatile HaStatus.Source source;
  private volatile FailoverRecorder failoverRecorder;

  private HaConsole(String mode, ScheduledExecutorService thread, StorageReachability storage) {
    this.mode = mode;
    this.thread = thread;
    this.storage = storage;
    this.source = () -> new HaStatus(mode, false, null, null, null, null, null, null, List.of());
  }

  /**
   * Starts the console's thread and, with high availability and a storage directory, the periodic
   * check that the directory is reachable.
   */
  static HaConsole start(Configuration config, FileStores fileStores) {
    boolean highAvailability =
        config.get(HighAvailabilityOptions.TYPE) == HighAvailabilityOptions.Type.ZOOKEEPER;
    ScheduledExecutorService thread =
        Executors.newSingleThreadScheduledExecutor(daemonThreads("baton-ha-console"));
    StorageReachability storage = null;
    Optional<String> dir = config.getOptional(HighAvailabilityOptions.STORAGE_DIR);
    if (highAvailability && dir.isPresent() && !dir.get().isBlank()) {
      try {
        storage =
            new StorageReachability(
                fileStores,
                FileStores.toUri(dir.get()),
                thread,
                Executors.newSingleThreadExecutor(daemonThreads("baton-ha-storage-check")),
                Clock.systemUTC(),
                STORAGE_CHECK_INTERVAL,
                STORAGE_CHECK_TIMEOUT);
      } catch (RuntimeException | Error e) {
        thread.shutdownNow();
        throw e;
      }
      storage.start();
    }
    return new HaConsole(highAvailability ? "zookeeper" : "none", thread, storage);
  }

  /**
   * Once the contender id is known and before the election starts: the console answers from the
   * leadership and ZooKeeper from now on, and each leadership is recorded in the history.
   */
  void bind(
      HighAvailabilityServices ha,
      LeaderElectionService election,
      JobManagerLeadership leadership,
      String contenderId,
      String rpcAddress,
      String restUrl,
      Clock clock,
      Duration rpcTimeout) {
    JobManagerHaStatus status =
        new JobManagerHaStatus(
            mode,
            contenderId,
            leadership,
            rpcAddress,
            restUrl,
            ha::publishedLeader,
            () -> ha.contenders(election));
    source = new HaConsoleSource(status, ha.failoverHistory(), ha::connectionStatus, storage);
    failoverRecorder =
        new FailoverRecorder(
            ha.failoverHistory(),
            contenderId,
            thread,
            clock,
            FAILOVER_HISTORY_POLL,
            FAILOVER_HISTORY_SETTLE,
            rpcTimeout);
  }

  @Override
  public void leading(LeaderSession session, long grantedAt) {
    failoverRecorder.leading(session.sessionId(), grantedAt, session.dispatcher());
  }

  @Override
  public HaStatus current() {
    return source.current();
  }

  @Override
  public List<FailoverRecord> history() throws Exception {
    return source.history();
  }

  @Override
  public HaHealth health() {
    return source.health();
  }

  /** Stops the storage check and the console's thread. */
  @Override
  public void close() {
    if (storage != null) {
      storage.close();
    }
    thread.shutdownNow();
  }

  private static ThreadFactory daemonThreads(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
