package io.baton.coordinator.ha;

import io.baton.common.concurrent.MainThreadExecutor;
import io.baton.common.concurrent.SingleThreadMainThreadExecutor;
import io.baton.common.security.TokenDigest;
import io.baton.coordinator.scheduler.SuspendedTasks;
import io.baton.ha.LeaderContender;
import io.baton.ha.LeaderElectionService;
import io.baton.ha.LeaderInformation;
import io.baton.ha.LeadershipLostException;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JobManager as a contender for leadership. On grant it builds a {@link LeaderSession} (fresh
 * resource manager and dispatcher for that session id), recovers the stored jobs and then publishes
 * its address; on revoke it stops the session at once and the process stays up as a standby.
 *
 * <p>Grant and revoke arrive on the election's thread; the work runs on a thread of this object's
 * own, one step at a time, and storage reads on the I/O executor, so the election is never blocked.
 */
public final class JobManagerLeadership implements LeaderContender, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobManagerLeadership.class);

  /** Builds the session of a new leadership. */
  @FunctionalInterface
  public interface SessionFactory {
    /**
     * @throws LeadershipLostException when the session no longer leads while it is built
     */
    LeaderSession create(UUID sessionId) throws Exception;
  }

  /** Told once each leadership serves: its jobs recovered, its address published. */
  @FunctionalInterface
  public interface LeadingListener {
    /**
     * Called on the leadership's thread; must not block.
     *
     * @param grantedAt epoch millis at which the election granted the leadership
     */
    void leading(LeaderSession session, long grantedAt);
  }

  private final SessionFactory sessions;
  private final LeadingListener leadingListener;
  private final Clock clock;
  private final Duration closeTimeout;
  private final SuspendedTasks onStop;
  private final MainThreadExecutor thread;
  private final CompletableFuture<Void> firstConfirmation = new CompletableFuture<>();

  // set once by start(), before the election can call back
  private LeaderElectionService election;
  private String rpcAddress;
  private String restUrl;
  private String instanceId;
  // written on this object's thread; read by RPC and REST threads
  private volatile LeaderSession session;
  // set by close() before it leaves the election, whose revocation then ends the session
  private volatile boolean stopping;

  /**
   * @param closeTimeout how long each step of stopping a session may take
   * @param onStop what the jobs' tasks do when this JobManager stops while it leads ({@link
   *     SuspendedTasks#HAND_OVER} with high availability and reconciliation: its successor adopts
   *     them); a lost or revoked leadership cancels them
   * @param leadingListener told once each leadership serves (e.g. to write the failover history)
   */
  public JobManagerLeadership(
      SessionFactory sessions,
      Clock clock,
      Duration closeTimeout,
      SuspendedTasks onStop,
      LeadingListener leadingListener) {
    this.sessions = sessions;
    this.leadingListener = leadingListener;
    this.clock = clock;
    this.closeTimeout = closeTimeout;
    this.onStop = onStop;
    this.thread = new SingleThreadMainThreadExecutor("JobManagerLeadership", "baton-leadership");
  }

  /**
   * Enters the election.
   *
   * @param rpcAddress {@code host:port} TaskManagers reach this JobManager at
   * @param restUrl {@code http://host:port} of its REST API
   * @param instanceId this process's instance id, published with the address so standbys can tell
   *     this process from another one answering there later
   */
  public void start(
      LeaderElectionService election, String rpcAddress, String restUrl, String instanceId)
      throws Exception {
    this.election = election;
    this.rpcAddress = rpcAddress;
    this.restUrl = restUrl;
    this.instanceId = instanceId;
    election.start(this);
  }

  /** The current leadership's session, or null on a standby (also while it is being revoked). */
  public LeaderSession session() {
    return session;
  }

  /** The session once it serves as leader (recovered and published), else null. */
  public LeaderSession confirmedSession() {
    LeaderSession s = session;
    return s != null && s.isConfirmed() ? s : null;
  }

  /** Completes when this JobManager first published itself as leader. */
  public CompletableFuture<Void> firstConfirmation() {
    return firstConfirmation;
  }

  public LeaderElectionService election() {
    return election;
  }

  @Override
  public void grantLeadership(UUID sessionId) {
    LOG.info(
        "Granted leadership with session {}: recovering jobs, then publishing", digest(sessionId));
    long grantedAt = clock.millis();
    thread.execute(() -> startSession(sessionId, grantedAt));
  }

  @Override
  public void revokeLeadership() {
    LeaderSession revoked = session;
    // stop routing TaskManagers and REST calls to it at once; closing it takes a moment
    session = null;
    SuspendedTasks tasks = stopping ? onStop : SuspendedTasks.CANCEL;
    if (revoked != null && stopping) {
      LOG.info(
          "Leadership of session {} handed over as this JobManager stops: suspending all jobs, {}",
          digest(revoked.sessionId()),
          tasks == SuspendedTasks.HAND_OVER
              ? "their tasks left running for the next leader to adopt"
              : "their tasks cancelled");
    } else if (revoked != null) {
      LOG.warn(
          "Leadership of session {} revoked: suspending all jobs; this JobManager is a standby now",
          digest(revoked.sessionId()));
    }
    thread.execute(() -> closeSession(revoked, tasks));
  }

  @Override
  public void handleError(Exception error) {
    LOG.error("Leader election failed; this JobManager cannot lead until it is restarted", error);
    revokeLeadership();
  }

  private void startSession(UUID sessionId, long grantedAt) {
    thread.assertRunningInMainThread();
    if (!election.hasLeadership(sessionId)) {
      LOG.info("Leadership session {} is over before it started", digest(sessionId));
      return;
    }
    closeSession(session, SuspendedTasks.CANCEL);
    LeaderSession created;
    try {
      created = sessions.create(sessionId);
    } catch (LeadershipLostException e) {
      LOG.info(
          "Leadership session {} is over before it started: {}", digest(sessionId), e.getMessage());
      return;
    } catch (Exception e) {
      LOG.error("Cannot start leadership session {}; not leading", digest(sessionId), e);
      return;
    }
    session = created;
    created
        .recoverJobs()
        .handleAsync(
            (ignored, error) -> {
              if (error != null) {
                if (hasCause(error, LeadershipLostException.class)) {
                  LOG.warn("Recovery of session {} stopped: leadership lost", digest(sessionId));
                  return null;
                }
                LOG.error(
                    "Recovering the stored jobs failed; serving without them (the next leader"
                        + " tries again)",
                    error);
              }
              publish(created, grantedAt);
              return null;
            },
            thread);
  }

  private void publish(LeaderSession created, long grantedAt) {
    thread.assertRunningInMainThread();
    if (session != created || !election.hasLeadership(created.sessionId())) {
      return;
    }
    election
        .confirmLeadership(
            new LeaderInformation(created.sessionId(), rpcAddress, restUrl, instanceId))
        .whenCompleteAsync(
            (ignored, error) -> {
              if (error != null) {
                LOG.warn(
                    "Could not publish leadership session {}: {}",
                    digest(created.sessionId()),
                    error.getMessage());
                return;
              }
              if (session == created) {
                created.confirmed(clock.millis());
                LOG.info(
                    "Leading with session {} (fencing token digest): RPC at {}, REST at {}",
                    digest(created.sessionId()),
                    rpcAddress,
                    restUrl);
                firstConfirmation.complete(null);
                tellLeading(created, grantedAt);
              }
            },
            thread);
  }

  private void tellLeading(LeaderSession created, long grantedAt) {
    try {
      leadingListener.leading(created, grantedAt);
    } catch (RuntimeException e) {
      LOG.warn(
          "Leadership session {}: telling of the new leadership failed; leading on",
          digest(created.sessionId()),
          e);
    }
  }

  private void closeSession(LeaderSession old, SuspendedTasks tasks) {
    thread.assertRunningInMainThread();
    if (old == null) {
      return;
    }
    if (session == old) {
      session = null;
    }
    old.close(closeTimeout, tasks);
    LOG.info("Leadership session {} stopped", digest(old.sessionId()));
  }

  private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Leaves the election first, so another JobManager takes over at once, then stops this
   * leadership's session (its jobs are suspended, they stay stored for the next leader; their tasks
   * are handed over or cancelled as {@code onStop} says).
   */
  @Override
  public void close() {
    stopping = true;
    try {
      if (election != null) {
        election.close();
      }
    } catch (Exception e) {
      LOG.warn("Leaving the leader election failed", e);
    }
    LeaderSession last = session;
    session = null;
    try {
      thread
          .call(
              () -> {
                closeSession(last, onStop);
                return null;
              })
          .get(closeTimeout.toMillis() * 3, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warn("The leadership session did not stop within the timeout", e);
    }
    thread.shutdown(Duration.ZERO);
  }

  /** Logs name a session by its digest: the session id is the fencing token TaskManagers obey. */
  private static String digest(UUID sessionId) {
    return TokenDigest.of(sessionId.toString());
  }
}
