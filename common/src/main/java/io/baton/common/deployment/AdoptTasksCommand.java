package io.baton.common.deployment;

import io.baton.common.ids.ExecutionId;
import io.baton.common.ids.JobId;
import java.util.List;
import java.util.Objects;

/**
 * A new leader takes over tasks of {@code jobId} that a TaskManager kept running while leadership
 * moved (jobmanager.failover.reconcile): from now on they are that leader's, and the TaskManager no
 * longer cancels them when its wait for adoption ends.
 */
public record AdoptTasksCommand(JobId jobId, List<ExecutionId> executionIds) {

  public AdoptTasksCommand {
    Objects.requireNonNull(jobId, "jobId");
    executionIds = List.copyOf(executionIds);
  }
}
