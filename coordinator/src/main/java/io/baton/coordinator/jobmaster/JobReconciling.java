package io.baton.coordinator.jobmaster;

import io.baton.common.config.Configuration;
import io.baton.common.config.JobManagerOptions;
import io.baton.coordinator.resourcemanager.TaskAdoptionGateway;
import java.time.Duration;

/**
 * Whether a new leader tries to adopt a recovered job's running tasks instead of restarting them
 * (jobmanager.failover.reconcile), how long it waits for their reports, and where the reports come
 * from.
 *
 * @param timeout jobmanager.reconciliation.timeout: without every report by then, the job restarts
 *     from its latest completed checkpoint
 */
public record JobReconciling(boolean enabled, Duration timeout, TaskAdoptionGateway adoption) {

  /** Recovered jobs restart from their latest completed checkpoint, as without reconciliation. */
  public static JobReconciling disabled() {
    return new JobReconciling(false, Duration.ZERO, TaskAdoptionGateway.none());
  }

  /** As the cluster's configuration says, with the leader session's resource manager. */
  public static JobReconciling of(Configuration config, TaskAdoptionGateway adoption) {
    return new JobReconciling(
        config.get(JobManagerOptions.FAILOVER_RECONCILE),
        config.get(JobManagerOptions.RECONCILIATION_TIMEOUT),
        adoption);
  }
}
