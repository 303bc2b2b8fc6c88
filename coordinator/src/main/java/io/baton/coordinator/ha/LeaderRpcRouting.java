package io.baton.coordinator.ha;

import io.baton.common.rpc.Ack;
import io.baton.common.rpc.CheckpointAck;
import io.baton.common.rpc.CheckpointDecline;
import io.baton.common.rpc.HeartbeatResponse;
import io.baton.common.rpc.RegisterTaskManagerRequest;
import io.baton.common.rpc.RegisterTaskManagerResponse;
import io.baton.common.rpc.TaskManagerHeartbeat;
import io.baton.common.rpc.TaskStateUpdate;
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
  public CompletableFuture<RegisterTaskManagerResponse> registerTaskManager(
      RegisterTaskManagerRequest request) {
    LeaderSession session = leadership.session();
    if (session == null) {
      return CompletableFuture.completedFuture(
          RegisterTaskManagerResponse.newBuilder()
              .setAccepted(false)
              .setError(NOT_THE_LEADER)
              .build());
    }
    return session.resourceManager().registerTaskManager(request);
  }

  @Override
  public CompletableFuture<HeartbeatResponse> heartbeat(TaskManagerHeartbeat heartbeat) {
    LeaderSession session = leadership.session();
    if (session == null) {
      return CompletableFuture.completedFuture(
          HeartbeatResponse.newBuilder().setKnown(false).build());
    }
    return session.resourceManager().heartbeat(heartbeat);
  }

  @Override
  public CompletableFuture<Ack> updateTaskState(TaskStateUpdate update) {
    return toJob(d -> d.updateTaskState(update));
  }

  @Override
  public CompletableFuture<Ack> acknowledgeCheckpoint(CheckpointAck ack) {
    return toJob(d -> d.acknowledgeCheckpoint(ack));
  }

  @Override
  public CompletableFuture<Ack> declineCheckpoint(CheckpointDecline decline) {
    return toJob(d -> d.declineCheckpoint(decline));
  }

  private CompletableFuture<Ack> toJob(Function<TaskStateReceiver, CompletableFuture<Ack>> call) {
    LeaderSession session = leadership.session();
    if (session == null) {
      return CompletableFuture.completedFuture(
          Ack.newBuilder().setOk(false).setError(NOT_THE_LEADER).build());
    }
    // the session's own jobs: a report meant for an earlier leadership's job finds none
    return call.apply(session.dispatcher().runningJobs());
  }
}
