package io.baton.coordinator.resourcemanager;

import io.baton.common.concurrent.MainThreadExecutor;
import io.baton.common.concurrent.MainThreadExecutor.Cancellable;
import io.baton.common.ids.TaskManagerId;
import io.baton.coordinator.metrics.ResourceManagerMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The active resource manager's policy: how many workers its {@link WorkerDriver} should run. Slots
 * that waiting requests ask for beyond the free ones, plus {@code
 * slotmanager.redundant-taskmanager-num} spare workers, make it start workers (at most {@code
 * slotmanager.number-of-slots.max} slots in all); a worker idle for {@code
 * resourcemanager.taskmanager-timeout} is stopped unless it is a needed spare; a worker whose
 * process ends is replaced when its slots are needed again; a worker that fails to start (its
 * process ends before it registers, or it does not register in time) holds back the next start for
 * {@code resourcemanager.start-worker-retry-interval}.
 *
 * <p>Lives on the resource manager's main thread. With a passive driver it does nothing.
 */
final class ActiveWorkers {
  private static final Logger LOG = LoggerFactory.getLogger(ActiveWorkers.class);

  private final MainThreadExecutor mainThread;
  private final Clock clock;
  private final WorkerDriver driver;
  private final WorkerSettings settings;
  private final WorkerSlots slots;
  private final ResourceManagerMetrics metrics;

  // sorted by id, so iteration (and logs) are stable
  private final Map<TaskManagerId, Worker> workers = new TreeMap<>();
  // stopped by this policy and not reported ended yet: a late registration of theirs is refused
  private final Set<TaskManagerId> stopping = new HashSet<>();
  private long nextStartAllowedMillis = Long.MIN_VALUE;
  private Cancellable retry = Cancellable.NONE;
  private boolean boundLogged;
  private boolean closed;
  // until the driver told which workers of an earlier incarnation still run, none is started
  private boolean recovering = true;
  private Cancellable recoveryTimeout = Cancellable.NONE;

  ActiveWorkers(
      MainThreadExecutor mainThread,
      Clock clock,
      WorkerDriver driver,
      WorkerSettings settings,
      WorkerSlots slots,
      ResourceManagerMetrics metrics) {
    this.mainThread = mainThread;
    this.clock = clock;
    this.driver = driver;
    this.settings = settings;
    this.slots = slots;
    this.metrics = metrics;
  }

  /**
   * Starts the driver; its reports come back on the main thread. Workers are started only once the
   * driver told which ones still run (at most a registration timeout later).
   */
  void start() {
    mainThread.assertRunningInMainThread();
    driver.start((id, diagnostics) -> mainThread.tell(() -> workerEnded(id, diagnostics)));
    publishMetrics();
    if (!driver.isActive()) {
      return;
    }
    CompletableFuture<List<TaskManagerId>> recovered = driver.recoveredWorkers();
    recoveryTimeout =
        mainThread.schedule(
            () ->
                recovered(
                    List.of(),
                    new TimeoutException(
                        "no answer within "
                            + settings.registrationTimeout().toMillis()
                            + " ms (resourcemanager.taskmanager-registration.timeout)")),
            settings.registrationTimeout());
    recovered.whenComplete(
        (ids, error) ->
            mainThread.tell(
                () -> {
                  recoveryTimeout.cancel();
                  recovered(ids == null ? List.of() : ids, error);
                }));
  }

  /** The driver told which workers still run; late answers (after the timeout) are still heard. */
  private void recovered(List<TaskManagerId> ids, Throwable error) {
    mainThread.assertRunningInMainThread();
    if (closed) {
      return;
    }
    if (error != null) {
      LOG.warn(
          "The {} driver did not tell which workers of its earlier incarnation still run ({});"
              + " starting workers as if none did",
          driver,
          describe(error));
    } else if (!ids.isEmpty()) {
      LOG.info(
          "{} TaskManagers started before still run (the {} driver recovered them): waiting"
              + " for them to register instead of starting new ones",
          ids.size(),
          driver);
      for (TaskManagerId id : ids) {
        adopt(id);
      }
    }
    recovering = false;
    reconcile();
  }

  /** A running worker an earlier incarnation started: counted as starting until it registers. */
  private void adopt(TaskManagerId id) {
    if (workers.containsKey(id)) {
      return;
    }
    Worker worker = new Worker(id);
    workers.put(id, worker);
    if (slots.isRegistered(id)) {
      worker.registered = true;
    } else {
      worker.registrationTimer =
          mainThread.schedule(
              () ->
                  startFailed(
                      worker,
                      "(recovered) did not register within "
                          + settings.registrationTimeout().toMillis()
                          + " ms (resourcemanager.taskmanager-registration.timeout)",
                      true),
              settings.registrationTimeout());
    }
    publishMetrics();
  }

  /**
   * Whether this TaskManager is a worker the policy stopped whose end the driver has not reported
   * yet: it must not register again (it would come back as a TaskManager nobody manages).
   */
  boolean isStopping(TaskManagerId id) {
    return stopping.contains(id);
  }

  /** Whether this TaskManager is a worker the driver started (and so the policy's to stop). */
  boolean isManaged(TaskManagerId id) {
    return workers.containsKey(id);
  }

  /**
   * Starts the workers the waiting requests and the spares need, and times out idle ones. Called
   * after every change of slots, requests or workers; cheap when nothing is to be done.
   */
  void reconcile() {
    mainThread.assertRunningInMainThread();
    if (!driver.isActive() || closed) {
      return;
    }
    if (!recovering) {
      startMissingWorkers();
    }
    for (Worker worker : workers.values()) {
      if (worker.registered && slots.isIdle(worker.id)) {
        if (worker.idleTimer == Cancellable.NONE) {
          worker.idleTimer = mainThread.schedule(() -> idleTimeout(worker), settings.idleTimeout());
        }
      } else {
        worker.idleTimer.cancel();
        worker.idleTimer = Cancellable.NONE;
      }
    }
  }

  private void startMissingWorkers() {
    int perWorker = settings.slotsPerWorker();
    int startingSlots = startingWorkers() * perWorker;
    int needed = slots.waitingSlots() + settings.redundantWorkers() * perWorker;
    int missing = needed - slots.freeSlots() - startingSlots;
    if (missing <= 0) {
      return;
    }
    int wanted = (missing + perWorker - 1) / perWorker;
    long room = (long) settings.maxSlots() - slots.registeredSlots() - startingSlots;
    int allowed = (int) Math.min(wanted, Math.max(0, room / perWorker));
    if (allowed < wanted && !boundLogged) {
      boundLogged = true;
      LOG.warn(
          "Jobs need {} more slots, but slotmanager.number-of-slots.max {} allows {} more"
              + " TaskManagers of {} slots; waiting requests may time out",
          missing,
          settings.maxSlots(),
          allowed,
          perWorker);
    }
    if (allowed == 0) {
      return;
    }
    boundLogged = allowed < wanted;
    long now = clock.millis();
    if (now < nextStartAllowedMillis) {
      if (retry == Cancellable.NONE) {
        retry =
            mainThread.schedule(
                () -> {
                  retry = Cancellable.NONE;
                  reconcile();
                },
                Duration.ofMillis(nextStartAllowedMillis - now));
      }
      return;
    }
    for (int i = 0; i < allowed; i++) {
      startWorker();
    }
  }

  private void startWorker() {
    TaskManagerId id = TaskManagerId.random();
    Worker worker = new Worker(id);
    workers.put(id, worker);
    metrics.workerStarted();
    publishMetrics();
    LOG.info(
        "Starting TaskManager {} through the {} driver ({} slots): {} waiting slots, {} free",
        id,
        driver,
        settings.slotsPerWorker(),
        slots.waitingSlots(),
        slots.freeSlots());
    worker.registrationTimer =
        mainThread.schedule(
            () ->
                startFailed(
                    worker,
                    "did not register within "
                        + settings.registrationTimeout().toMillis()
                        + " ms (resourcemanager.taskmanager-registration.timeout)",
                    true),
            settings.registrationTimeout());
    driver
        .startWorker(id)
        .whenComplete(
            (ok, error) -> {
              if (error != null) {
                mainThread.tell(
                    () -> startFailed(worker, "could not be launched: " + describe(error), false));
              }
            });
  }

  /** A TaskManager registered; if the driver started it, it is no longer pending. */
  void registered(TaskManagerId id) {
    mainThread.assertRunningInMainThread();
    Worker worker = workers.get(id);
    if (worker == null || worker.registered) {
      return;
    }
    worker.registered = true;
    worker.registrationTimer.cancel();
    LOG.info(
        "TaskManager {} registered {} ms after it was started",
        id,
        clock.millis() - worker.startedMillis);
    publishMetrics();
  }

  /**
   * The resource manager released a registered TaskManager as lost (heartbeats stopped, or
   * unreachable): if the driver started it, its process is stopped for good, and the slots it
   * leaves missing are started anew by the next {@link #reconcile}.
   */
  void lost(TaskManagerId id) {
    mainThread.assertRunningInMainThread();
    Worker worker = workers.remove(id);
    if (worker != null) {
      worker.cancelTimers();
      stop(id);
      publishMetrics();
    }
  }

  private void stop(TaskManagerId id) {
    stopping.add(id);
    driver.releaseWorker(id);
  }

  private void workerEnded(TaskManagerId id, String diagnostics) {
    mainThread.assertRunningInMainThread();
    stopping.remove(id);
    Worker worker = workers.get(id);
    if (worker == null || closed) {
      return; // released by the policy, or lost already
    }
    if (!worker.registered) {
      startFailed(worker, "ended before it registered (" + diagnostics + ")", false);
      return;
    }
    // lose() comes back through lost(), which forgets the worker
    slots.lose(id, "process ended (" + diagnostics + ")");
    reconcile();
  }

  private void startFailed(Worker worker, String what, boolean stop) {
    mainThread.assertRunningInMainThread();
    if (workers.get(worker.id) != worker || worker.registered) {
      return;
    }
    workers.remove(worker.id);
    worker.cancelTimers();
    if (stop) {
      stop(worker.id);
    }
    metrics.workerFailed();
    nextStartAllowedMillis = clock.millis() + settings.startRetryInterval().toMillis();
    LOG.warn(
        "TaskManager {} {}; the next start follows in {} ms"
            + " (resourcemanager.start-worker-retry-interval)",
        worker.id,
        what,
        settings.startRetryInterval().toMillis());
    publishMetrics();
    reconcile();
  }

  private void idleTimeout(Worker worker) {
    mainThread.assertRunningInMainThread();
    worker.idleTimer = Cancellable.NONE;
    if (closed || workers.get(worker.id) != worker || !slots.isIdle(worker.id)) {
      return;
    }
    int perWorker = settings.slotsPerWorker();
    int neededFree = slots.waitingSlots() + settings.redundantWorkers() * perWorker;
    if (slots.freeSlots() - perWorker < neededFree) {
      // a spare the settings ask for: it stays, and is checked again after the next timeout
      worker.idleTimer = mainThread.schedule(() -> idleTimeout(worker), settings.idleTimeout());
      return;
    }
    workers.remove(worker.id);
    worker.cancelTimers();
    slots.forgetIdle(
        worker.id,
        "TaskManager "
            + worker.id
            + " held no slot for "
            + settings.idleTimeout().toMillis()
            + " ms (resourcemanager.taskmanager-timeout); stopping it");
    stop(worker.id);
    publishMetrics();
  }

  private int startingWorkers() {
    int n = 0;
    for (Worker w : workers.values()) {
      if (!w.registered) {
        n++;
      }
    }
    return n;
  }

  private void publishMetrics() {
    metrics.setWorkers(startingWorkers(), workers.size());
  }

  /** Cancels the timers and forgets the workers; {@link #stopDriver} then stops them. */
  void close() {
    mainThread.assertRunningInMainThread();
    closed = true;
    retry.cancel();
    recoveryTimeout.cancel();
    for (Worker w : new ArrayList<>(workers.values())) {
      w.cancelTimers();
    }
    workers.clear();
    publishMetrics();
  }

  /** Stops the driver's workers; called off the main thread once it stopped taking work. */
  void stopDriver(Duration timeout) {
    driver.close(timeout);
  }

  private static String describe(Throwable error) {
    Throwable cause = error;
    while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    String message = cause.getMessage();
    return message == null ? cause.getClass().getSimpleName() : message;
  }

  /** A worker the driver started: pending until it registers. */
  private final class Worker {
    final TaskManagerId id;
    final long startedMillis = clock.millis();
    boolean registered;
    Cancellable registrationTimer = Cancellable.NONE;
    Cancellable idleTimer = Cancellable.NONE;

    Worker(TaskManagerId id) {
      this.id = id;
    }

    void cancelTimers() {
      registrationTimer.cancel();
      idleTimer.cancel();
      idleTimer = Cancellable.NONE;
    }
  }
}
