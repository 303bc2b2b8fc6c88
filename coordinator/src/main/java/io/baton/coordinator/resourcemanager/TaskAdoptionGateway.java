package io.baton.coordinator.resourcemanager;

import io.baton.common.ids.JobId;

/**
 * What a job master that reconciles a recovered job (jobmanager.failover.reconcile) asks of the
 * resource manager: the tasks the TaskManagers report still running for the job, with the slots
 * marked as the job's for them, and, once it adopts them, to be told about those slots as their
 * owner.
 */
public interface TaskAdoptionGateway {

  /**
   * Tells {@code listener}, on the resource manager's thread, what was reported of {@code jobId} so
   * far, each later report and each TaskManager lost, until {@link #stopListening}.
   */
  void listen(JobId jobId, ReportedExecutions.Listener listener);

  /** No more reports of {@code jobId} are wanted. */
  void stopListening(JobId jobId);

  /**
   * The job adopted the tasks in its reported slots: {@code owner} is told about the TaskManagers
   * they live on from now on, as if it had requested them.
   */
  void adoptSlots(JobId jobId, SlotOwner owner);

  /** For job masters that never reconcile: nothing is reported, nothing adopted. */
  static TaskAdoptionGateway none() {
    return new TaskAdoptionGateway() {
      @Override
      public void listen(JobId jobId, ReportedExecutions.Listener listener) {}

      @Override
      public void stopListening(JobId jobId) {}

      @Override
      public void adoptSlots(JobId jobId, SlotOwner owner) {}
    };
  }
}
