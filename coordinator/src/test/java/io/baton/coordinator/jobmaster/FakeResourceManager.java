package io.baton.coordinator.jobmaster;

import io.baton.common.ids.JobId;
import io.baton.coordinator.resourcemanager.AllocatedSlot;
import io.baton.coordinator.resourcemanager.ResourceManagerGateway;
import io.baton.coordinator.resourcemanager.ResourceOverview;
import io.baton.coordinator.resourcemanager.SlotOwner;
import io.baton.coordinator.status.TaskManagerDetails;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Slot requests wait until the test grants them. */
final class FakeResourceManager implements ResourceManagerGateway {
  final List<CompletableFuture<List<AllocatedSlot>>> requests = new ArrayList<>();
  final List<Integer> requestedCounts = new ArrayList<>();
  final List<JobId> released = new ArrayList<>();
  SlotOwner owner;

  @Override
  public CompletableFuture<List<AllocatedSlot>> requestSlots(
      JobId jobId, int count, SlotOwner owner) {
    this.owner = owner;
    CompletableFuture<List<AllocatedSlot>> f = new CompletableFuture<>();
    requests.add(f);
    requestedCounts.add(count);
    return f;
  }

  final List<AllocatedSlot> releasedSlots = new ArrayList<>();

  @Override
  public void releaseSlots(JobId jobId, List<AllocatedSlot> slots) {
    releasedSlots.addAll(slots);
  }

  @Override
  public void releaseJob(JobId jobId) {
    released.add(jobId);
  }

  @Override
  public CompletableFuture<ResourceOverview> overview() {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<List<TaskManagerDetails>> taskManagers() {
    throw new UnsupportedOperationException();
  }
}
