package io.baton.coordinator.jobmaster;

import io.baton.common.ids.JobId;
import io.baton.coordinator.resourcemanager.ReportedExecutions;
import io.baton.coordinator.resourcemanager.SlotOwner;
import io.baton.coordinator.resourcemanager.TaskAdoptionGateway;

/** The resource manager's side of adoption: the test plays the reporting TaskManagers. */
final class FakeAdoption implements TaskAdoptionGateway {
  ReportedExecutions.Listener listener;
  SlotOwner owner;
  boolean stopped;

  @Override
  public void listen(JobId jobId, ReportedExecutions.Listener listener) {
    this.listener = listener;
  }

  @Override
  public void stopListening(JobId jobId) {
    stopped = true;
  }

  @Override
  public void adoptSlots(JobId jobId, SlotOwner owner) {
    this.owner = owner;
  }
}
