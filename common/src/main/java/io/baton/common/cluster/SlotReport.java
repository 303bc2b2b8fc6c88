package io.baton.common.cluster;

import io.baton.common.ids.AllocationId;
import io.baton.common.ids.JobId;
import java.util.Objects;
import java.util.Optional;

/**
 * One slot of a TaskManager as its heartbeat reports it: free (both empty) or allocated to a job.
 */
public record SlotReport(
    int slotIndex, Optional<AllocationId> allocationId, Optional<JobId> jobId) {

  public SlotReport {
    if (slotIndex < 0) {
      throw new IllegalArgumentException("negative slot index " + slotIndex);
    }
    Objects.requireNonNull(allocationId, "allocationId");
    Objects.requireNonNull(jobId, "jobId");
  }

  /** Whether no job holds the slot. */
  public boolean isFree() {
    return allocationId.isEmpty();
  }
}
