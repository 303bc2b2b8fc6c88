package io.baton.common.cluster;

import io.baton.common.ids.AllocationId;
import io.baton.common.ids.JobId;
import java.util.Objects;

/**
 * The JobManager no longer needs a slot: the TaskManager frees it, and the job's class loader when
 * it was the job's last slot there.
 */
public record FreeSlotCommand(AllocationId allocationId, JobId jobId) {

  public FreeSlotCommand {
    Objects.requireNonNull(allocationId, "allocationId");
    Objects.requireNonNull(jobId, "jobId");
  }
}
