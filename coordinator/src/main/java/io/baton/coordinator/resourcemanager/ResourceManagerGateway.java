package io.baton.coordinator.resourcemanager;

import io.baton.common.ids.JobId;
import io.baton.coordinator.status.TaskManagerDetails;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** What job masters and the dispatcher ask of the resource manager. */
public interface ResourceManagerGateway {

  /**
   * Asks for {@code count} slots for a job, all at once. Requests are served first come, first
   * served, each spreading its slots over the TaskManagers with the most free slots.
   *
   * @param owner told when a TaskManager with the job's slots is lost and of its task metrics
   * @return completes with the slots, or with {@link NoResourceAvailableException} after {@code
   *     slot.request.timeout}; cancelling the future withdraws the request
   */
  CompletableFuture<List<AllocatedSlot>> requestSlots(JobId jobId, int count, SlotOwner owner);

  /** Gives back slots the job got but does not need (telling their TaskManagers with FreeSlot). */
  void releaseSlots(JobId jobId, List<AllocatedSlot> slots);

  /** Frees every slot of the job (telling its TaskManagers with FreeSlot) and forgets its owner. */
  void releaseJob(JobId jobId);

  CompletableFuture<ResourceOverview> overview();

  CompletableFuture<List<TaskManagerDetails>> taskManagers();
}
