package io.baton.taskmanager.executor;

import io.baton.common.cluster.HeartbeatAnswer;
import io.baton.common.cluster.HeartbeatReport;
import io.baton.common.cluster.RegistrationResponse;
import io.baton.common.cluster.TaskManagerRegistration;
import io.baton.common.concurrent.MainThreadExecutor;
import io.baton.common.security.TokenDigest;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the TaskManager registered with the JobManager: registers with backoff, heartbeats at the
 * interval the JobManager asks for, and registers again when the JobManager forgot this TaskManager
 * or has not answered a heartbeat for the heartbeat timeout. When no registration succeeds within
 * taskmanager.registration.timeout (at start-up or after losing the JobManager) the TaskManager
 * gives up: nobody could tell it what to run. Confined to the TaskManager's main thread; RPC
 * results hop back onto it, and results of a superseded attempt (an older epoch) are dropped.
 *
 * <p>In HA mode leader retrieval names the leader and its token ({@link #registerWithLeader}): a
 * registration answered with another token is not taken (that JobManager does not lead yet, or no
 * longer) and is retried with backoff. While no leader is published ({@link #leaderUnknown}) the
 * link keeps trying the last one without the registration timeout: a new leader will be published.
 */
final class JobManagerLink {
  private static final Logger LOG = LoggerFactory.getLogger(JobManagerLink.class);
  private static final Duration MAX_REGISTRATION_CALL = Duration.ofSeconds(10);
  private static final Duration MIN_CALL_DEADLINE = Duration.ofMillis(200);

  /** Failed attempts between two INFO lines while the JobManager stays unreachable. */
  private static final int LOG_EVERY_ATTEMPTS = 5;

  /** What the link asks of and tells the TaskManager; called on the main thread. */
  interface Owner {
    TaskManagerRegistration registrationRequest();

    HeartbeatReport heartbeatPayload(String registrationId);

    /** Registered; the JobManager's commands carry {@code registration.fencingToken()}. */
    void registered(Registration registration);

    /** Registration did not succeed within the registration timeout: the TaskManager must stop. */
    void registrationTimedOut(String message);
  }

  /** A successful registration. */
  record Registration(
      String fencingToken, String registrationId, Duration interval, Duration timeout) {}

  private final JobManagerConnection gateway;
  private final MainThreadExecutor mainThread;
  private final Owner owner;
  private final Duration registrationTimeout;
  private final Duration defaultInterval;
  private final Duration defaultTimeout;
  private final LongSupplier nanoClock;
  private final RetryBackoff backoff = new RetryBackoff();

  private long epoch;
  private boolean closed;
  private Registration current;

  /** The published leader's token (HA mode), or null to take the token any JobManager answers. */
  private String expectedToken;

  /** False while no leader is published (HA mode): then the registration timeout does not apply. */
  private boolean timeoutApplies = true;

  private long registrationStartNanos;
  private int attempts;
  private long lastHeartbeatAnsweredNanos;
  private boolean heartbeatInFlight;
  private MainThreadExecutor.Cancellable scheduled;

  JobManagerLink(
      JobManagerConnection gateway,
      MainThreadExecutor mainThread,
      Owner owner,
      Duration registrationTimeout,
      Duration defaultInterval,
      Duration defaultTimeout,
      LongSupplier nanoClock) {
    this.gateway = gateway;
    this.mainThread = mainThread;
    this.owner = owner;
    this.registrationTimeout = registrationTimeout;
    this.defaultInterval = defaultInterval;
    this.defaultTimeout = defaultTimeout;
    this.nanoClock = nanoClock;
  }

  /** The current registration, or null while (re-)registering. */
  Registration current() {
    return current;
  }

  /** Starts registering. */
  void start(String reason) {
    mainThread.assertRunningInMainThread();
    if (closed) {
      return;
    }
    epoch++;
    cancelScheduled();
    current = null;
    heartbeatInFlight = false;
    attempts = 0;
    backoff.reset();
    registrationStartNanos = nanoClock.getAsLong();
    LOG.info("Registering at JobManager {} ({})", gateway.address(), reason);
    attemptRegistration(epoch);
  }

  /**
   * Registers (again) with the JobManager that leader retrieval published under {@code token}; the
   * gateway already points at it.
   */
  void registerWithLeader(String token, String reason) {
    mainThread.assertRunningInMainThread();
    expectedToken = token;
    timeoutApplies = true;
    start(reason);
  }

  /**
   * No leader is published right now: keep the registration (or the attempts) with the last one,
   * but do not give up after the registration timeout while waiting for the next.
   */
  void leaderUnknown() {
    mainThread.assertRunningInMainThread();
    timeoutApplies = false;
  }

  /**
   * The published leader is back under the token it had: the registration timeout applies again,
   * counted from now if still registering.
   */
  void leaderKnownAgain() {
    mainThread.assertRunningInMainThread();
    if (!timeoutApplies) {
      timeoutApplies = true;
      registrationStartNanos = nanoClock.getAsLong();
    }
  }

  void close() {
    mainThread.assertRunningInMainThread();
    closed = true;
    epoch++;
    current = null;
    cancelScheduled();
  }

  private void attemptRegistration(long attemptEpoch) {
    mainThread.assertRunningInMainThread();
    if (attemptEpoch != epoch || closed) {
      return;
    }
    attempts++;
    gateway.reconnectNow();
    Duration remaining = registrationTimeout.minus(elapsedSince(registrationStartNanos));
    gateway
        .register(owner.registrationRequest(), clamp(remaining, MAX_REGISTRATION_CALL))
        .whenComplete(
            (response, error) ->
                runOnMainThread(() -> onRegistrationResult(attemptEpoch, response, error)));
  }

  private void onRegistrationResult(
      long attemptEpoch, RegistrationResponse response, Throwable error) {
    mainThread.assertRunningInMainThread();
    if (attemptEpoch != epoch || closed) {
      return;
    }
    boolean accepted = error == null && response.accepted();
    if (accepted && (expectedToken == null || expectedToken.equals(response.fencingToken()))) {
      onRegistered(response);
      return;
    }
    String why;
    if (error != null) {
      why = JobManagerCallException.describe(error);
    } else if (accepted) {
      why =
          "it answered with fencing token digest "
              + TokenDigest.of(response.fencingToken())
              + ", not the published leader's "
              + TokenDigest.of(expectedToken)
              + " (it does not lead)";
    } else {
      why = "declined: " + (response.error().isEmpty() ? "no reason" : response.error());
    }
    Duration elapsed = elapsedSince(registrationStartNanos);
    if (timeoutApplies && elapsed.compareTo(registrationTimeout) >= 0) {
      String message =
          "could not register at the JobManager at "
              + gateway.address()
              + " within taskmanager.registration.timeout ("
              + registrationTimeout.toMillis()
              + " ms): "
              + why;
      LOG.error("{}; stopping the TaskManager", message);
      close();
      owner.registrationTimedOut(message);
      return;
    }
    Duration delay = backoff.next();
    if (attempts == 1 || attempts % LOG_EVERY_ATTEMPTS == 0) {
      LOG.info(
          "Registration at JobManager {} failed (attempt {}): {}; retrying in {} ms",
          gateway.address(),
          attempts,
          why,
          delay.toMillis());
    } else {
      LOG.debug("Registration attempt {} failed: {}", attempts, why);
    }
    long e = epoch;
    scheduled = schedule(() -> attemptRegistration(e), delay);
  }

  private void onRegistered(RegistrationResponse response) {
    mainThread.assertRunningInMainThread();
    Duration interval =
        response.heartbeatInterval().compareTo(Duration.ZERO) > 0
            ? response.heartbeatInterval()
            : defaultInterval;
    Duration timeout =
        response.heartbeatTimeout().compareTo(Duration.ZERO) > 0
            ? response.heartbeatTimeout()
            : defaultTimeout;
    Registration registration =
        new Registration(response.fencingToken(), response.registrationId(), interval, timeout);
    current = registration;
    lastHeartbeatAnsweredNanos = nanoClock.getAsLong();
    LOG.info(
        "Registered at JobManager {} after {} attempt(s): registration {}, fencing token digest {};"
            + " heartbeating every {} ms",
        gateway.address(),
        attempts,
        registration.registrationId(),
        TokenDigest.of(registration.fencingToken()),
        interval.toMillis());
    owner.registered(registration);
    long e = epoch;
    scheduled = mainThread.scheduleWithFixedDelay(() -> heartbeatTick(e), Duration.ZERO, interval);
  }

  private void heartbeatTick(long tickEpoch) {
    mainThread.assertRunningInMainThread();
    if (tickEpoch != epoch || closed || current == null) {
      return;
    }
    Duration silence = elapsedSince(lastHeartbeatAnsweredNanos);
    if (silence.compareTo(current.timeout()) > 0) {
      LOG.warn(
          "JobManager {} lost: no heartbeat answered for {} ms (heartbeat.timeout {} ms);"
              + " keeping the tasks while registering again (a new registration releases their"
              + " slots)",
          gateway.address(),
          silence.toMillis(),
          current.timeout().toMillis());
      start("JobManager lost");
      return;
    }
    if (heartbeatInFlight) {
      return;
    }
    heartbeatInFlight = true;
    Duration deadline = clamp(current.timeout().minus(silence), current.timeout());
    gateway
        .heartbeat(owner.heartbeatPayload(current.registrationId()), deadline)
        .whenComplete(
            (response, error) ->
                runOnMainThread(() -> onHeartbeatResult(tickEpoch, response, error)));
  }

  private void onHeartbeatResult(long tickEpoch, HeartbeatAnswer response, Throwable error) {
    mainThread.assertRunningInMainThread();
    if (tickEpoch != epoch || closed) {
      return;
    }
    heartbeatInFlight = false;
    if (error != null) {
      LOG.debug(
          "Heartbeat to JobManager {} failed: {}",
          gateway.address(),
          JobManagerCallException.describe(error));
      return;
    }
    if (!response.known()) {
      LOG.info(
          "JobManager {} does not know registration {}; registering again",
          gateway.address(),
          current.registrationId());
      start("JobManager forgot this TaskManager");
      return;
    }
    if (!response.fencingToken().isEmpty()
        && !response.fencingToken().equals(current.fencingToken())) {
      LOG.info(
          "JobManager {} answered with fencing token digest {} instead of {}; registering again",
          gateway.address(),
          TokenDigest.of(response.fencingToken()),
          TokenDigest.of(current.fencingToken()));
      start("fencing token changed");
      return;
    }
    lastHeartbeatAnsweredNanos = nanoClock.getAsLong();
  }

  private Duration elapsedSince(long startNanos) {
    return Duration.ofNanos(nanoClock.getAsLong() - startNanos);
  }

  private static Duration clamp(Duration wanted, Duration max) {
    if (wanted.compareTo(MIN_CALL_DEADLINE) < 0) {
      return MIN_CALL_DEADLINE;
    }
    return wanted.compareTo(max) > 0 ? max : wanted;
  }

  private MainThreadExecutor.Cancellable schedule(Runnable action, Duration delay) {
    try {
      return mainThread.schedule(action, delay);
    } catch (RejectedExecutionException shuttingDown) {
      return null;
    }
  }

  private void runOnMainThread(Runnable action) {
    try {
      mainThread.execute(action);
    } catch (RejectedExecutionException shuttingDown) {
      LOG.debug("Dropping a JobManager answer: the TaskManager is shutting down");
    }
  }

  private void cancelScheduled() {
    if (scheduled != null) {
      scheduled.cancel();
      scheduled = null;
    }
  }
}
