package io.baton.taskmanager.executor;

import static io.baton.taskmanager.executor.Acks.failure;
import static io.baton.taskmanager.executor.Acks.ok;

import io.baton.common.ids.AllocationId;
import io.baton.common.rpc.Ack;
import io.baton.common.rpc.FreeSlotRequest;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frees slots, cancelling the tasks in them first: one slot when the JobManager asks, all of them
 * when leadership moved to another JobManager. Used on the TaskExecutor's main thread only.
 */
final class SlotFreeing {
  private static final Logger LOG = LoggerFactory.getLogger(SlotFreeing.class);

  private final JobManagerFencing fencing;
  private final SlotTable slots;
  private final RunningTasks tasks;

  SlotFreeing(JobManagerFencing fencing, SlotTable slots, RunningTasks tasks) {
    this.fencing = fencing;
    this.slots = slots;
    this.tasks = tasks;
  }

  CompletableFuture<Ack> freeSlot(FreeSlotRequest request) {
    Optional<Ack> rejected = fencing.check(request.getFencingToken(), "FreeSlot");
    if (rejected.isPresent()) {
      return CompletableFuture.completedFuture(rejected.get());
    }
    AllocationId allocationId;
    try {
      allocationId = AllocationId.parse(request.getAllocationId());
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(failure("rejected: " + e.getMessage()));
    }
    for (RunningTask task : tasks.inAllocation(allocationId)) {
      LOG.info(
          "Cancelling {} of job {} ({}): its slot is being freed",
          task.name(),
          task.jobId(),
          task.execution());
      tasks.cancel(task);
    }
    Optional<SlotTable.Allocation> freed = slots.free(allocationId);
    if (freed.isPresent()) {
      LOG.info("Freed the slot of allocation {} (job {})", allocationId, freed.get().jobId());
      tasks.maybeReleaseJob(freed.get().jobId());
    } else {
      LOG.debug("FreeSlot for allocation {}, which holds no slot here", allocationId);
    }
    return CompletableFuture.completedFuture(ok());
  }

  /** Cancels every task and frees every slot: they belong to a JobManager that lost leadership. */
  void leadershipMoved(String oldToken, String newToken) {
    LOG.warn(
        "Leadership moved: JobManager fencing token {} replaced by {}; cancelling {} task(s) and"
            + " freeing all slots",
        oldToken,
        newToken,
        tasks.size());
    for (RunningTask task : List.copyOf(tasks.all())) {
      tasks.cancel(task);
    }
    for (SlotTable.Allocation freed : slots.freeAll()) {
      tasks.maybeReleaseJob(freed.jobId());
    }
  }
}
