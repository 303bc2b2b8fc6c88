package io.baton.coordinator.resourcemanager;

import io.baton.common.cluster.HeartbeatAnswer;
import io.baton.common.cluster.HeartbeatReport;
import io.baton.common.cluster.RegistrationResponse;
import io.baton.common.cluster.TaskManagerRegistration;
import io.baton.common.concurrent.MainThreadExecutor;
import io.baton.common.concurrent.MainThreadExecutor.Cancellable;
import io.baton.common.config.JobManagerOptions;
import io.baton.common.ids.JobId;
import io.baton.common.ids.TaskManagerId;
import io.baton.coordinator.metrics.ResourceManagerMetrics;
import io.baton.coordinator.rpc.TaskManagerGateway;
import io.baton.coordinator.rpc.TaskManagerGatewayFactory;
import io.baton.coordinator.rpc.TaskManagerRegistrar;
import io.baton.coordinator.status.TaskManagerDetails;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Knows the TaskManagers and their slots: registers them, watches their heartbeats, releases the
 * silent ones (telling the jobs that had slots there) and hands slots to jobs. All state lives on
 * its own main thread.
 *
 * <p>Slot requests are served first come, first served: a request that cannot be served waits, and
 * so do the ones behind it, until enough slots are offered or {@code slot.request.timeout} passes.
 * Slots are spread evenly: each is taken from the TaskManager with the most free slots (ties: the
 * smallest id).
 */
public final class ResourceManager
    implements ResourceManagerGateway, TaskManagerRegistrar, TaskAdoptionGateway {
  private static final Logger LOG = LoggerFactory.getLogger(ResourceManager.class);

  private final MainThreadExecutor mainThread;
  private final Clock clock;
  private final String fencingToken;
  private final ResourceManagerSettings settings;
  private final TaskManagerGatewayFactory gateways;
  private final ResourceManagerMetrics metrics;
  private final ActiveWorkers workers;

  // sorted by id, so iteration (and logs) are stable
  private final Map<TaskManagerId, RegisteredTaskManager> taskManagers = new TreeMap<>();
  // follows every change of taskManagers and of their slots
  private final SlotCounts slotCounts = new SlotCounts();
  private final Deque<PendingRequest> pending = new ArrayDeque<>();
  private final Map<JobId, SlotOwner> owners = new HashMap<>();
  private final ReportedExecutions reportedExecutions;
  private Cancellable heartbeatCheck = Cancellable.NONE;
  private boolean closed;

  public ResourceManager(
      MainThreadExecutor mainThread,
      Clock clock,
      String fencingToken,
      ResourceManagerSettings settings,
      TaskManagerGatewayFactory gateways,
      ResourceManagerMetrics metrics) {
    this(
        mainThread, clock, fencingToken, settings, gateways, metrics, new StandaloneWorkerDriver());
  }

  /**
   * @param driver starts and stops TaskManagers when it is active; the policy deciding how many
   *     stays here
   */
  public ResourceManager(
      MainThreadExecutor mainThread,
      Clock clock,
      String fencingToken,
      ResourceManagerSettings settings,
      TaskManagerGatewayFactory gateways,
      ResourceManagerMetrics metrics,
      WorkerDriver driver) {
    this.mainThread = mainThread;
    this.clock = clock;
    this.fencingToken = fencingToken;
    this.settings = settings;
    this.gateways = gateways;
    this.metrics = metrics;
    this.workers =
        new ActiveWorkers(mainThread, clock, driver, settings.workers(), new Slots(), metrics);
    this.reportedExecutions = new ReportedExecutions(mainThread);
  }

  /** What re-registering TaskManagers report running, for job masters that reconcile. */
  public ReportedExecutions reportedExecutions() {
    return reportedExecutions;
  }

  @Override
  public void listen(JobId jobId, ReportedExecutions.Listener listener) {
    reportedExecutions.listen(jobId, listener);
  }

  @Override
  public void stopListening(JobId jobId) {
    reportedExecutions.stopListening(jobId);
  }

  @Override
  public void adoptSlots(JobId jobId, SlotOwner owner) {
    mainThread.tell(
        () -> {
          owners.put(jobId, owner);
          slotsChanged();
        });
  }

  /** Starts watching heartbeats and, with an active driver, the spare workers. */
  public void start() {
    mainThread.execute(
        () -> {
          workers.start();
          slotsChanged();
          scheduleHeartbeatCheck();
        });
  }

  // ---------------------------------------------------------------- TaskManagers

  @Override
  public CompletableFuture<RegistrationResponse> registerTaskManager(
      TaskManagerRegistration request) {
    return mainThread.call(() -> register(request));
  }

  private RegistrationResponse register(TaskManagerRegistration request) {
    mainThread.assertRunningInMainThread();
    TaskManagerId id = request.taskManagerId();
    if (request.numberOfSlots() < 1) {
      return rejected("a TaskManager needs at least one slot, got " + request.numberOfSlots());
    }
    if (request.rpcAddress().host().isEmpty() || request.rpcAddress().port() <= 0) {
      return rejected("TaskManager " + id + " sent no usable rpc_address");
    }
    if (closed) {
      return rejected("the JobManager is shutting down");
    }
    if (workers.isStopping(id)) {
      return rejected("TaskManager " + id + " is being stopped by the resource manager");
    }
    RegisteredTaskManager previous = taskManagers.get(id);
    if (previous != null) {
      release(
          previous,
          "TaskManager "
              + id
              + " registered again from "
              + request.rpcAddress()
              + "; its earlier slots are gone");
    }
    // the registration exists only below; the gateway reports to whichever it ends up in
    AtomicReference<RegisteredTaskManager> registered = new AtomicReference<>();
    TaskManagerGateway gateway =
        new ReachabilityWatchingGateway(
            gateways.connect(id, request.rpcAddress()),
            error -> mainThread.tell(() -> unreachable(registered.get(), error)));
    RegisteredTaskManager registration =
        new RegisteredTaskManager(
            id,
            UUID.randomUUID().toString(),
            gateway,
            request.numberOfSlots(),
            request.cpuCores(),
            request.physicalMemoryBytes(),
            clock.millis());
    registered.set(registration);
    taskManagers.put(id, registration);
    registration.onSlotsChanged(slotCounts::update);
    slotCounts.add(registration);
    workers.registered(id);
    reportedExecutions.registered(registration, request.runningExecutions());
    metrics.trackHeartbeatAge(
        id.toString(), () -> (clock.millis() - registration.lastHeartbeatMillis) / 1000.0);
    LOG.info(
        "TaskManager {} at {} registered with {} slots (registration {}); {} TaskManagers, {} free"
            + " slots",
        id,
        registration.address(),
        registration.numberOfSlots(),
        registration.registrationId,
        taskManagers.size(),
        freeSlots());
    slotsChanged();
    servePending();
    return new RegistrationResponse(
        true,
        "",
        fencingToken,
        registration.registrationId,
        settings.heartbeatInterval(),
        settings.heartbeatTimeout());
  }

  private RegistrationResponse rejected(String error) {
    LOG.warn("Rejected a TaskManager registration: {}", error);
    return RegistrationResponse.refused(error);
  }

  @Override
  public CompletableFuture<HeartbeatAnswer> heartbeat(HeartbeatReport heartbeat) {
    return mainThread.call(() -> receiveHeartbeat(heartbeat));
  }

  private HeartbeatAnswer receiveHeartbeat(HeartbeatReport heartbeat) {
    mainThread.assertRunningInMainThread();
    RegisteredTaskManager registration = taskManagers.get(heartbeat.taskManagerId());
    if (registration == null || !registration.registrationId.equals(heartbeat.registrationId())) {
      LOG.info(
          "Heartbeat from unknown registration {} of TaskManager {}; it has to register again",
          heartbeat.registrationId(),
          heartbeat.taskManagerId());
      return new HeartbeatAnswer(false, fencingToken);
    }
    registration.lastHeartbeatMillis = clock.millis();
    registration.missedHeartbeatsCounted = 0;
    if (!registration.confirmed) {
      // A TaskManager heartbeats only under a registration it took (in HA mode: one whose token
      // is the leader its retrieval publishes); only then are its slots safe to hand out.
      registration.confirmed = true;
      slotCounts.update(registration);
      LOG.info(
          "TaskManager {} took registration {}: offering its {} slots",
          registration.id,
          registration.registrationId,
          registration.numberOfSlots());
      slotsChanged();
      servePending();
    }
    registration.heapUsedBytes = heartbeat.heapUsedBytes();
    registration.heapMaxBytes = heartbeat.heapMaxBytes();
    if (!heartbeat.taskMetrics().isEmpty()) {
      for (JobId job : registration.jobs()) {
        SlotOwner owner = owners.get(job);
        if (owner != null) {
          owner.taskMetricsReported(registration.id, heartbeat.taskMetrics());
        }
      }
    }
    return new HeartbeatAnswer(true, fencingToken);
  }

  private void scheduleHeartbeatCheck() {
    mainThread.assertRunningInMainThread();
    if (closed) {
      return;
    }
    long every =
        Math.max(
            10,
            Math.min(
                    settings.heartbeatInterval().toMillis(), settings.heartbeatTimeout().toMillis())
                / 2);
    heartbeatCheck =
        mainThread.schedule(
            () -> {
              // schedule first: a failing check must not end the monitoring
              scheduleHeartbeatCheck();
              checkHeartbeats();
            },
            Duration.ofMillis(every));
  }

  /** Counts missed heartbeats and releases TaskManagers silent for longer than the timeout. */
  void checkHeartbeats() {
    mainThread.assertRunningInMainThread();
    long now = clock.millis();
    long interval = settings.heartbeatInterval().toMillis();
    long timeout = settings.heartbeatTimeout().toMillis();
    for (RegisteredTaskManager tm : new ArrayList<>(taskManagers.values())) {
      long silence = now - tm.lastHeartbeatMillis;
      // a heartbeat counts as missed once a whole interval passed after it was due
      int missed = (int) Math.max(0, silence / interval - 1);
      if (missed > tm.missedHeartbeatsCounted) {
        metrics.heartbeatsMissed(missed - tm.missedHeartbeatsCounted);
        tm.missedHeartbeatsCounted = missed;
      }
      if (silence > timeout) {
        lose(tm, "sent no heartbeat for " + silence + " ms (heartbeat.timeout " + timeout + " ms)");
      }
    }
  }

  /**
   * A call to the TaskManager found nobody at its address: it is released now rather than after the
   * heartbeat timeout. If it still lives, its next heartbeat is refused and it registers afresh.
   */
  private void unreachable(RegisteredTaskManager tm, Throwable error) {
    mainThread.assertRunningInMainThread();
    if (tm == null || taskManagers.get(tm.id) != tm) {
      return; // released already, or registered again since
    }
    lose(tm, "is unreachable (" + ReachabilityWatchingGateway.describe(error) + ")");
  }

  /** A TaskManager that died or went silent: counted as lost, then released. */
  private void lose(RegisteredTaskManager tm, String what) {
    mainThread.assertRunningInMainThread();
    metrics.taskManagerLost();
    String reason = "TaskManager " + tm.id + " at " + tm.address() + " " + what;
    release(tm, reason);
    reportedExecutions.lost(tm.id, reason);
    workers.lost(tm.id);
    workers.reconcile();
  }

  /** Forgets a TaskManager: its slots are gone; every job that had one there fails over. */
  private void release(RegisteredTaskManager tm, String reason) {
    mainThread.assertRunningInMainThread();
    taskManagers.remove(tm.id);
    slotCounts.remove(tm);
    metrics.untrackHeartbeatAge(tm.id.toString());
    List<JobId> jobs = new ArrayList<>(tm.jobs());
    LOG.warn(
        "{}; releasing it with its {} slots, failing over jobs {}",
        reason,
        tm.numberOfSlots(),
        jobs);
    TaskManagerLostException cause = new TaskManagerLostException(reason);
    for (JobId job : jobs) {
      SlotOwner owner = owners.get(job);
      if (owner != null) {
        owner.taskManagerLost(tm.id, cause);
      }
    }
    tm.gateway.close();
    slotsChanged();
  }

  // ---------------------------------------------------------------- slots

  @Override
  public CompletableFuture<List<AllocatedSlot>> requestSlots(
      JobId jobId, int count, SlotOwner owner) {
    CompletableFuture<List<AllocatedSlot>> result = new CompletableFuture<>();
    if (!mainThread.tell(() -> enqueue(new PendingRequest(jobId, count, owner, result)))) {
      result.completeExceptionally(new IllegalStateException("the JobManager is shutting down"));
    }
    return result;
  }

  private void enqueue(PendingRequest request) {
    mainThread.assertRunningInMainThread();
    if (request.future.isDone()) {
      return;
    }
    if (closed) {
      request.future.completeExceptionally(
          new IllegalStateException("the JobManager is shutting down"));
      return;
    }
    owners.put(request.jobId, request.owner);
    pending.addLast(request);
    servePending();
    if (!request.future.isDone()) {
      workers.reconcile();
      Duration timeout = settings.slotRequestTimeout();
      LOG.info(
          "Job {} waits for {} slots ({} free, {} requests ahead); giving up after {}",
          request.jobId,
          request.count,
          freeSlots(),
          pending.size() - 1,
          JobManagerOptions.SLOT_REQUEST_TIMEOUT.print(timeout));
      request.timeout = mainThread.schedule(() -> expire(request), timeout);
    }
  }

  private void expire(PendingRequest request) {
    mainThread.assertRunningInMainThread();
    if (!pending.remove(request) || request.future.isDone()) {
      return;
    }
    String message =
        "could not get "
            + request.count
            + " slots within "
            + JobManagerOptions.SLOT_REQUEST_TIMEOUT.print(settings.slotRequestTimeout())
            + " ("
            + freeSlots()
            + " free)";
    LOG.warn("Slot request of job {} timed out: {}", request.jobId, message);
    request.future.completeExceptionally(new NoResourceAvailableException(message));
    // a request that blocked the queue is gone: the ones behind it may fit now
    servePending();
  }

  private void servePending() {
    mainThread.assertRunningInMainThread();
    while (!pending.isEmpty()) {
      PendingRequest head = pending.peekFirst();
      if (head.future.isDone()) {
        // withdrawn by the job
        pending.pollFirst();
        head.timeout.cancel();
        continue;
      }
      if (freeSlots() < head.count) {
        return;
      }
      pending.pollFirst();
      head.timeout.cancel();
      List<AllocatedSlot> slots = allocate(head.jobId, head.count);
      if (head.future.complete(slots)) {
        LOG.info("Job {} got {} slots: {}", head.jobId, slots.size(), slots);
      } else {
        // withdrawn between the check and now
        slots.forEach(this::freeLocally);
      }
      slotsChanged();
    }
  }

  private List<AllocatedSlot> allocate(JobId jobId, int count) {
    mainThread.assertRunningInMainThread();
    List<AllocatedSlot> slots = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      // taking the slot moves the TaskManager back in the order
      slots.add(slotCounts.mostFree().allocate(jobId));
    }
    return slots;
  }

  private void freeLocally(AllocatedSlot slot) {
    mainThread.assertRunningInMainThread();
    RegisteredTaskManager tm = taskManagers.get(slot.taskManagerId());
    if (tm != null) {
      tm.free(slot);
    }
  }

  @Override
  public void releaseSlots(JobId jobId, List<AllocatedSlot> slots) {
    mainThread.tell(
        () -> {
          for (AllocatedSlot slot : slots) {
            RegisteredTaskManager tm = taskManagers.get(slot.taskManagerId());
            if (tm != null && tm.free(slot)) {
              tm.freeSlot(slot);
            }
          }
          LOG.info("Job {} gave back {} slots; {} free now", jobId, slots.size(), freeSlots());
          slotsChanged();
          servePending();
        });
  }

  @Override
  public void releaseJob(JobId jobId) {
    mainThread.tell(
        () -> {
          owners.remove(jobId);
          int freed = 0;
          for (RegisteredTaskManager tm : taskManagers.values()) {
            for (AllocatedSlot slot : tm.slotsOf(jobId)) {
              tm.free(slot);
              tm.freeSlot(slot);
              freed++;
            }
          }
          if (freed > 0) {
            LOG.info("Freed {} slots of job {}; {} free now", freed, jobId, freeSlots());
          }
          slotsChanged();
          servePending();
        });
  }

  /** Free slots that can be handed out (of confirmed TaskManagers). */
  private int freeSlots() {
    return slotCounts.freeConfirmedSlots();
  }

  private int totalSlots() {
    return slotCounts.totalSlots();
  }

  /** Publishes the slot counts and lets the worker policy react to them. */
  private void slotsChanged() {
    metrics.setSlots(totalSlots(), freeSlots(), taskManagers.size());
    workers.reconcile();
  }

  /** The slots as the worker policy sees them. */
  private final class Slots implements WorkerSlots {
    @Override
    public int waitingSlots() {
      return pending.stream().filter(r -> !r.future.isDone()).mapToInt(r -> r.count).sum();
    }

    @Override
    public int freeSlots() {
      // unconfirmed ones too: their first heartbeat is on its way, no worker is needed for them
      return slotCounts.freeSlots();
    }

    @Override
    public int registeredSlots() {
      return totalSlots();
    }

    @Override
    public boolean isRegistered(TaskManagerId id) {
      return taskManagers.containsKey(id);
    }

    @Override
    public boolean isIdle(TaskManagerId id) {
      RegisteredTaskManager tm = taskManagers.get(id);
      return tm != null && tm.freeSlots() == tm.numberOfSlots();
    }

    @Override
    public void forgetIdle(TaskManagerId id, String reason) {
      RegisteredTaskManager tm = taskManagers.remove(id);
      if (tm != null) {
        slotCounts.remove(tm);
        LOG.info("{}", reason);
        metrics.untrackHeartbeatAge(id.toString());
        tm.gateway.close();
        slotsChanged();
      }
    }

    @Override
    public void lose(TaskManagerId id, String reason) {
      RegisteredTaskManager tm = taskManagers.get(id);
      if (tm != null) {
        ResourceManager.this.lose(tm, reason);
      }
    }
  }

  // ---------------------------------------------------------------- queries

  @Override
  public CompletableFuture<ResourceOverview> overview() {
    return mainThread.call(
        () -> new ResourceOverview(taskManagers.size(), totalSlots(), freeSlots()));
  }

  @Override
  public CompletableFuture<List<TaskManagerDetails>> taskManagers() {
    return mainThread.call(
        () -> taskManagers.values().stream().map(RegisteredTaskManager::details).toList());
  }

  /**
   * Stops watching heartbeats, fails waiting slot requests and closes the connections to the
   * TaskManagers, then stops the main thread.
   */
  public void close(Duration timeout) {
    CompletableFuture<Void> done =
        mainThread.call(
            () -> {
              closed = true;
              heartbeatCheck.cancel();
              workers.close();
              for (PendingRequest r : pending) {
                r.timeout.cancel();
                r.future.completeExceptionally(
                    new IllegalStateException("the JobManager is shutting down"));
              }
              pending.clear();
              taskManagers.values().forEach(tm -> tm.gateway.close());
              taskManagers.values().forEach(tm -> metrics.untrackHeartbeatAge(tm.id.toString()));
              taskManagers.clear();
              slotCounts.clear();
              owners.clear();
              return null;
            });
    try {
      done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warn("Resource manager did not close cleanly within {} ms", timeout.toMillis(), e);
    }
    workers.stopDriver(timeout);
    mainThread.shutdown(timeout);
  }
}
