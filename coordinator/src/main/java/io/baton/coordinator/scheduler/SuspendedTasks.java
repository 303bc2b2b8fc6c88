package io.baton.coordinator.scheduler;

/**
 * What a job suspended because its JobManager stops leading does with the tasks it runs on the
 * TaskManagers.
 */
public enum SuspendedTasks {
  /**
   * Cancel them and free their slots: no successor adopts them (no high availability, or {@code
   * jobmanager.failover.reconcile: false}), or leadership was lost rather than handed over.
   */
  CANCEL,

  /**
   * Leave them running in their slots: the JobManager stops gracefully with high availability and
   * reconciliation, so its successor adopts them as they run (rule 9). Nothing is sent to the
   * TaskManagers; they keep the tasks until a new leader adopts them or their wait for one ends.
   */
  HAND_OVER
}
