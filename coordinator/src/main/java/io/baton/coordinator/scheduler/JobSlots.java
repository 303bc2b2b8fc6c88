package io.baton.coordinator.scheduler;

import io.baton.common.concurrent.MainThreadExecutor;
import io.baton.common.ids.JobId;
import io.baton.common.ids.TaskManagerId;
import io.baton.coordinator.failover.FailureCauses;
import io.baton.coordinator.resourcemanager.AllocatedSlot;
import io.baton.coordinator.resourcemanager.ResourceManagerGateway;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The slots one job holds: slot i runs subtask i of every vertex (slot sharing). Asks the resource
 * manager for the missing ones and hands back what it no longer needs. Main thread only.
 */
final class JobSlots {
  // one log category for everything the scheduler of a job does
  private static final Logger LOG = LoggerFactory.getLogger(JobScheduler.class);

  private final JobId jobId;
  private final String jobName;
  private final ResourceManagerGateway resourceManager;
  private final JobScheduler scheduler;
  private final MainThreadExecutor mainThread;

  private final AllocatedSlot[] slots;
  private CompletableFuture<List<AllocatedSlot>> slotRequest;

  /**
   * @param scheduler told by the resource manager about lost TaskManagers and task metrics, and
   *     failed over when the slots cannot be had
   */
  JobSlots(
      JobId jobId,
      String jobName,
      int numberOfSlots,
      ResourceManagerGateway resourceManager,
      JobScheduler scheduler,
      MainThreadExecutor mainThread) {
    this.jobId = jobId;
    this.jobName = jobName;
    this.slots = new AllocatedSlot[numberOfSlots];
    this.resourceManager = resourceManager;
    this.scheduler = scheduler;
    this.mainThread = mainThread;
  }

  int size() {
    return slots.length;
  }

  AllocatedSlot get(int index) {
    return slots[index];
  }

  /** Runs {@code whenAllHeld} once every slot is held, asking for the missing ones first. */
  void acquireAll(Runnable whenAllHeld) {
    mainThread.assertRunningInMainThread();
    int missing = (int) Arrays.stream(slots).filter(Objects::isNull).count();
    if (missing == 0) {
      whenAllHeld.run();
      return;
    }
    LOG.info("Job {} ({}) requests {} slots", jobName, jobId, missing);
    CompletableFuture<List<AllocatedSlot>> request =
        resourceManager.requestSlots(jobId, missing, scheduler);
    slotRequest = request;
    request.whenCompleteAsync(
        (granted, error) -> onSlots(request, granted, error, whenAllHeld), mainThread);
  }

  private void onSlots(
      CompletableFuture<List<AllocatedSlot>> request,
      List<AllocatedSlot> granted,
      Throwable error,
      Runnable whenAllHeld) {
    mainThread.assertRunningInMainThread();
    if (request != slotRequest) {
      // withdrawn, but the grant crossed the withdrawal: hand the slots back
      if (granted != null) {
        resourceManager.releaseSlots(jobId, granted);
      }
      return;
    }
    slotRequest = null;
    if (error != null) {
      Throwable cause = FailureCauses.unwrap(error);
      if (!(cause instanceof CancellationException)) {
        scheduler.handleGlobalFailure(FailureCauses.describe(cause));
      }
      return;
    }
    Iterator<AllocatedSlot> it = granted.iterator();
    for (int i = 0; i < slots.length && it.hasNext(); i++) {
      if (slots[i] == null) {
        slots[i] = it.next();
      }
    }
    List<AllocatedSlot> extra = new ArrayList<>();
    it.forEachRemaining(extra::add);
    if (!extra.isEmpty()) {
      resourceManager.releaseSlots(jobId, extra);
    }
    // a TaskManager may have been lost while we waited: ask again for what is missing
    acquireAll(whenAllHeld);
  }

  /**
   * Holds the slots of adopted tasks: a previous leader got them, and their tasks run there
   * already. Slot i is the one that runs subtask i.
   *
   * @param bySubtask per subtask index, its slot
   */
  void adopt(List<AllocatedSlot> bySubtask) {
    mainThread.assertRunningInMainThread();
    if (bySubtask.size() != slots.length) {
      throw new IllegalArgumentException(
          "job " + jobId + " adopts " + bySubtask.size() + " slots for " + slots.length);
    }
    for (int i = 0; i < slots.length; i++) {
      slots[i] = bySubtask.get(i);
    }
  }

  /** Withdraws an outstanding request; slots granted after this are handed back. */
  void withdrawRequest() {
    mainThread.assertRunningInMainThread();
    if (slotRequest != null) {
      CompletableFuture<List<AllocatedSlot>> request = slotRequest;
      slotRequest = null;
      request.cancel(false);
    }
  }

  /** Forgets the slots on a lost TaskManager, so the next attempt asks for them again. */
  void forgetSlotsOn(TaskManagerId taskManagerId) {
    mainThread.assertRunningInMainThread();
    for (int i = 0; i < slots.length; i++) {
      if (slots[i] != null && slots[i].taskManagerId().equals(taskManagerId)) {
        slots[i] = null;
      }
    }
  }

  /** Forgets every slot; the caller frees them at the resource manager. */
  void forgetAll() {
    mainThread.assertRunningInMainThread();
    Arrays.fill(slots, null);
  }
}
