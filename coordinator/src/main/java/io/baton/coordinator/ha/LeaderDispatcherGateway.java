package io.baton.coordinator.ha;

import io.baton.common.ids.JobId;
import io.baton.coordinator.checkpoint.CheckpointSettings;
import io.baton.coordinator.checkpoint.CheckpointStats;
import io.baton.coordinator.dispatcher.DispatcherGateway;
import io.baton.coordinator.jobmaster.JobSubmission;
import io.baton.coordinator.status.ClusterOverview;
import io.baton.coordinator.status.JobDetails;
import io.baton.coordinator.status.TaskManagerDetails;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The dispatcher of whichever leadership is current, for the REST API and embedded use. Without one
 * (a standby) every call fails with {@link NotLeaderException}.
 */
public final class LeaderDispatcherGateway implements DispatcherGateway {
  private final JobManagerLeadership leadership;

  public LeaderDispatcherGateway(JobManagerLeadership leadership) {
    this.leadership = leadership;
  }

  /** This JobManager does not lead (right now). */
  public static final class NotLeaderException extends IllegalStateException {
    public NotLeaderException() {
      super("this JobManager is not the leader");
    }
  }

  private <T> CompletableFuture<T> call(Function<DispatcherGateway, CompletableFuture<T>> call) {
    LeaderSession session = leadership.session();
    if (session == null) {
      return CompletableFuture.failedFuture(new NotLeaderException());
    }
    return call.apply(session.dispatcher());
  }

  @Override
  public CompletableFuture<JobId> submitJob(JobSubmission submission, AutoCloseable userCode) {
    LeaderSession session = leadership.session();
    if (session == null) {
      // no dispatcher takes the job, so nobody else would close its class loader
      NotLeaderException refused = new NotLeaderException();
      try {
        userCode.close();
      } catch (Exception e) {
        refused.addSuppressed(e);
      }
      return CompletableFuture.failedFuture(refused);
    }
    return session.dispatcher().submitJob(submission, userCode);
  }

  @Override
  public CompletableFuture<List<JobDetails>> listJobs() {
    return call(DispatcherGateway::listJobs);
  }

  @Override
  public CompletableFuture<Optional<JobDetails>> requestJob(JobId jobId) {
    return call(d -> d.requestJob(jobId));
  }

  @Override
  public CompletableFuture<Void> cancelJob(JobId jobId) {
    return call(d -> d.cancelJob(jobId));
  }

  @Override
  public CompletableFuture<ClusterOverview> requestClusterOverview() {
    return call(DispatcherGateway::requestClusterOverview);
  }

  @Override
  public CompletableFuture<List<TaskManagerDetails>> requestTaskManagers() {
    return call(DispatcherGateway::requestTaskManagers);
  }

  @Override
  public CompletableFuture<Optional<CheckpointStats>> requestCheckpointStats(JobId jobId) {
    return call(d -> d.requestCheckpointStats(jobId));
  }

  @Override
  public CompletableFuture<Long> triggerCheckpoint(JobId jobId) {
    return call(d -> d.triggerCheckpoint(jobId));
  }

  @Override
  public CompletableFuture<Optional<CheckpointSettings>> requestCheckpointSettings(JobId jobId) {
    return call(d -> d.requestCheckpointSettings(jobId));
  }

  @Override
  public CompletableFuture<String> triggerSavepoint(
      JobId jobId, Optional<String> targetDirectory, boolean cancelJob) {
    return call(d -> d.triggerSavepoint(jobId, targetDirectory, cancelJob));
  }
}
