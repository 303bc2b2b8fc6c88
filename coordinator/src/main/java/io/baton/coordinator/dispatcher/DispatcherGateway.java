package io.baton.coordinator.dispatcher;

import io.baton.common.ids.JobId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the REST API (and tests) ask of the JobManager. All calls return at once; the futures
 * complete on the dispatcher's own thread.
 */
public interface DispatcherGateway {

  /** Accepts a job and starts scheduling it; completes with the new job's id. */
  CompletableFuture<JobId> submitJob(JobSubmission submission);

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
}
