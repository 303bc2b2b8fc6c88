package io.baton.coordinator.ha;

import io.baton.common.checkpoint.CheckpointAcknowledgement;
import io.baton.common.checkpoint.CheckpointDeclined;
import io.baton.common.checkpoint.EndOfData;
import io.baton.common.cluster.Acknowledgement;
import io.baton.common.cluster.HeartbeatAnswer;
import io.baton.common.cluster.HeartbeatReport;
import io.baton.common.cluster.RegistrationResponse;
import io.baton.common.cluster.TaskManagerRegistration;
import io.baton.common.execution.ExecutionStateUpdate;
import io.baton.coordinator.rpc.TaskManagerRegistrar;
import io.baton.coordinator.rpc.TaskStateReceiver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Hands TaskManagers' calls to the current leadership's resource manager and, for task reports and
 * checkpoint answers, straight to its running jobs' masters (never through the dispatcher's
 * thread). A standby answers them itself: registrations are not accepted ({@value
 * #NOT_THE_LEADER}), heartbeats are unknown, task reports and checkpoint answers are refused.
 */
public final class LeaderRpcRouting implements TaskManagerRegistrar, TaskStateReceiver {
  /** The error a standby answers with. */
  public static final String NOT_THE_LEADER = "not the leader";

  private final JobManagerLeadership leadership;

  public LeaderRpcRouting(JobManagerLeadership leadership) {
    this.leadership = leadership;
  }

  @Override
  public CompletableFuture<RegistrationResponse> registerTaskManager(
      TaskManagerRegistration request) {
    LeaderSession session = leadership.session();
    if (session == null) {
      return CompletableFuture.completedFuture(RegistrationResponse.refused(NOT_THE_LEADER));
    }
    return session.resourceManager().registerTaskManager(request);
  }

  @Override
  public CompletableFuture<HeartbeatAnswer> heartbeat(HeartbeatReport heartbeat) {
    LeaderSession session = leadership.session();
    if (session == null) {
      return CompletableFuture.completedFuture(HeartbeatAnswer.unknown());
    }
    return session.resourceManager().heartbeat(heartbeat);
  }

  @Override
  public CompletableFuture<Acknowledgement> updateTaskState(ExecutionStateUpdate update) {
    return toJob(d -> d.updateTaskState(update));
  }

  @Override
  public CompletableFuture<Acknowledgement> acknowledgeCheckpoint(CheckpointAcknowledgement ack) {
    return toJob(d -> d.acknowledgeCheckpoint(ack));
  }

  @Override
  public CompletableFuture<Acknowledgement> declineCheckpoint(CheckpointDeclined decline) {
    return toJob(d -> d.declineCheckpoint(decline));
  }

  @Override
  public CompletableFuture<Acknowledgement> notifyEndOfData(EndOfData notice) {
    return toJob(d -> d.notifyEndOfData(notice));
  }

  private CompletableFuture<Acknowledgement> toJob(
      Function<TaskStateReceiver, CompletableFuture<Acknowledgement>> call) {
    LeaderSession session = leadership.session();
    if (session == null) {
      return CompletableFuture.completedFuture(Acknowledgement.refused(NOT_THE_LEADER));
    }
    // the session's own jobs: a report meant for an earlier leadership's job finds none
    return call.apply(session.dispatcher().runningJobs());
  }
}
