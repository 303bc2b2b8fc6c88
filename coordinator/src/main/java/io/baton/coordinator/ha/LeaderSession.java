package io.baton.coordinator.ha;

import io.baton.common.security.TokenDigest;
import io.baton.coordinator.dispatcher.Dispatcher;
import io.baton.coordinator.dispatcher.JobRecovery;
import io.baton.coordinator.resourcemanager.ResourceManager;
import io.baton.coordinator.scheduler.SuspendedTasks;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * What a JobManager runs while it leads under one session id: a resource manager whose fencing
 * token is the session id, and a dispatcher whose jobs write to that session's HA stores. A new
 * leadership gets new ones; the old ones are closed when leadership is revoked.
 */
public final class LeaderSession {
  private final UUID sessionId;
  private final ResourceManager resourceManager;
  private final Dispatcher dispatcher;
  private final JobRecovery recovery;
  private volatile boolean confirmed;
  private volatile long confirmedAt = -1;

  public LeaderSession(
      UUID sessionId,
      ResourceManager resourceManager,
      Dispatcher dispatcher,
      JobRecovery recovery) {
    this.sessionId = sessionId;
    this.resourceManager = resourceManager;
    this.dispatcher = dispatcher;
    this.recovery = recovery;
  }

  public UUID sessionId() {
    return sessionId;
  }

  /** The fencing token every command to a TaskManager carries in this session. */
  public String fencingToken() {
    return sessionId.toString();
  }

  public ResourceManager resourceManager() {
    return resourceManager;
  }

  public Dispatcher dispatcher() {
    return dispatcher;
  }

  /** Recovers the stored jobs; completes once they were handed to the dispatcher. */
  CompletableFuture<Void> recoverJobs() {
    return recovery.recover();
  }

  /** The session's address is published: it serves as the leader. */
  void confirmed(long now) {
    confirmedAt = now;
    confirmed = true;
  }

  public boolean isConfirmed() {
    return confirmed;
  }

  /** Epoch millis of the confirmation, -1 before. */
  public long confirmedAt() {
    return confirmedAt;
  }

  /**
   * Stops acting as leader: suspends every job (its tasks cancelled or left running for the next
   * leader, {@code tasks}; no results, no store writes, no checkpoint deletions) and lets go of the
   * TaskManagers.
   */
  void close(Duration timeout, SuspendedTasks tasks) {
    confirmed = false;
    dispatcher.close(
        timeout, "leadership session " + TokenDigest.of(sessionId.toString()) + " ended", tasks);
    resourceManager.close(timeout);
  }
}
