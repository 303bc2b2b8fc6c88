package io.baton.coordinator.resourcemanager;

import io.baton.common.concurrent.MainThreadExecutor.Cancellable;
import io.baton.common.ids.JobId;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A job's wait for slots, queued by the resource manager until enough are free. Its main thread.
 */
final class PendingRequest {
  final JobId jobId;
  final int count;
  final SlotOwner owner;
  final CompletableFuture<List<AllocatedSlot>> future;
  Cancellable timeout = Cancellable.NONE;

  PendingRequest(
      JobId jobId, int count, SlotOwner owner, CompletableFuture<List<AllocatedSlot>> future) {
    this.jobId = jobId;
    this.count = count;
    this.owner = owner;
    this.future = future;
  }
}
