package io.baton.coordinator.dispatcher;

import io.baton.common.config.Configuration;
import io.baton.common.ids.JobId;
import io.baton.coordinator.checkpoint.CheckpointSettings;
import io.baton.coordinator.checkpoint.CheckpointStats;
import io.baton.coordinator.jobmaster.JobSubmission;
import io.baton.coordinator.status.ClusterOverview;
import io.baton.coordinator.status.JobDetails;
import io.baton.coordinator.status.TaskManagerDetails;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the REST API (and tests) ask of the JobManager. All calls return at once; the futures
 * complete on the dispatcher's own thread.
 */
public interface DispatcherGateway {

  /**
   * Accepts a job and starts scheduling it; completes with the new job's id.
   *
   * @param userCode what loaded the job's user classes (its jar's class loader). The dispatcher
   *     owns it from this call on: it is closed when the job ends, or at once when the job is
   *     refused, so a jar is held only while a job needs it.
   */
  CompletableFuture<JobId> submitJob(JobSubmission submission, AutoCloseable userCode);

  /** Accepts a job whose classes need no closing (they come from the JobManager's class path). */
  default CompletableFuture<JobId> submitJob(JobSubmission submission) {
    return submitJob(submission, () -> {});
  }

  /** Running and finished jobs, newest first. */
  CompletableFuture<List<JobDetails>> listJobs();

  CompletableFuture<Optional<JobDetails>> requestJob(JobId jobId);

  /**
   * Cancels a job; completes when cancellation started. Completes exceptionally with {@link
   * UnknownJobException} for an unknown job.
   */
  CompletableFuture<Void> cancelJob(JobId jobId);

  CompletableFuture<ClusterOverview> requestClusterOverview();

  CompletableFuture<List<TaskManagerDetails>> requestTaskManagers();

  /**
   * A job's checkpoint figures; empty for an unknown job.
   *
   * @since checkpoints; the default knows no checkpoints
   */
  default CompletableFuture<Optional<CheckpointStats>> requestCheckpointStats(JobId jobId) {
    return requestJob(jobId).thenApply(job -> job.map(j -> CheckpointStats.EMPTY));
  }

  /**
   * A running job's checkpoint settings (the cluster's with the job's own laid over them); empty
   * for a job not running here.
   *
   * @since checkpoints; the default knows only the cluster defaults
   */
  default CompletableFuture<Optional<CheckpointSettings>> requestCheckpointSettings(JobId jobId) {
    return requestJob(jobId)
        .thenApply(job -> job.map(j -> CheckpointSettings.of(new Configuration(), Map.of())));
  }

  /**
   * Takes a checkpoint of a running job now and completes with its id. Fails as {@link
   * #triggerSavepoint} does, or with the reason the checkpoint failed.
   *
   * @since checkpoints; the default takes none
   */
  default CompletableFuture<Long> triggerCheckpoint(JobId jobId) {
    return CompletableFuture.failedFuture(
        new UnsupportedOperationException("checkpoints are not supported"));
  }

  /**
   * Takes a savepoint of a running job and completes with its path (after cancellation began, with
   * {@code cancelJob}). Fails with {@link UnknownJobException} for an unknown job, {@link
   * IllegalStateException} for a job that is not running, {@link IllegalArgumentException} without
   * a target directory, or with the reason the savepoint failed.
   *
   * @param targetDirectory empty: {@code state.savepoints.dir}
   */
  default CompletableFuture<String> triggerSavepoint(
      JobId jobId, Optional<String> targetDirectory, boolean cancelJob) {
    return CompletableFuture.failedFuture(
        new UnsupportedOperationException("savepoints are not supported"));
  }
}
