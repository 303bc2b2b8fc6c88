package io.baton.taskmanager.executor;

import io.baton.common.cluster.Acknowledgement;
import io.baton.common.cluster.FreeSlotCommand;
import io.baton.common.ids.AllocationId;
import io.baton.common.security.TokenDigest;
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

  private final SlotTable slots;
  private final RunningTasks tasks;

  SlotFreeing(SlotTable slots, RunningTasks tasks) {
    this.slots = slots;
    this.tasks = tasks;
  }

  /** Frees the slot the JobManager no longer needs (its fencing token was checked). */
  CompletableFuture<Acknowledgement> freeSlot(FreeSlotCommand command) {
    AllocationId allocationId = command.allocationId();
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
    return CompletableFuture.completedFuture(Acknowledgement.accepted());
  }

  /**
   * The JobManager registered this TaskManager afresh, which releases whatever it had allocated
   * here and fails those jobs over: cancels the tasks of {@code allocations} (the slots held when
   * the registration was sent) and frees their slots. Allocations made since stay.
   */
  void registeredAfresh(List<SlotTable.Allocation> allocations) {
    for (SlotTable.Allocation allocation : allocations) {
      for (RunningTask task : tasks.inAllocation(allocation.allocationId())) {
        LOG.warn(
            "Cancelling {} of job {} ({}): the JobManager registered this TaskManager afresh and"
                + " released its slot",
            task.name(),
            task.jobId(),
            task.execution());
        tasks.cancel(task);
      }
      if (slots.free(allocation.allocationId()).isPresent()) {
        LOG.info(
            "Freed the slot of allocation {} (job {}): released by the new registration",
            allocation.allocationId(),
            allocation.jobId());
        tasks.maybeReleaseJob(allocation.jobId());
      }
    }
  }

  /** Cancels every task and frees every slot: they belong to a JobManager that lost leadership. */
  void leadershipMoved(String oldToken, String newToken) {
    LOG.warn(
        "Leadership moved: JobManager fencing token digest {} replaced by {}; cancelling {}"
            + " task(s) and freeing all slots",
        TokenDigest.of(oldToken),
        TokenDigest.of(newToken),
        tasks.size());
    for (RunningTask task : List.copyOf(tasks.all())) {
      tasks.cancel(task);
    }
    for (SlotTable.Allocation freed : slots.freeAll()) {
      tasks.maybeReleaseJob(freed.jobId());
    }
  }
}
