package io.baton.ha;

import io.baton.common.ids.JobId;

/**
 * The JobManager's stores that must outlive a JobManager in HA mode, per job. In non-HA mode
 * ({@code high-availability.type: none}) they live in the JobManager's memory: a restarted
 * JobManager starts without them.
 */
public interface HighAvailabilityServices {

  /** The completed checkpoints of {@code jobId}; the same store on every call for that job. */
  CompletedCheckpointStore completedCheckpointStore(JobId jobId);

  /** The checkpoint id counter of {@code jobId}; the same counter on every call for that job. */
  CheckpointIdCounter checkpointIdCounter(JobId jobId);

  /** Forgets a job's stores once the job is over and its checkpoints are no longer needed. */
  void releaseJob(JobId jobId);

  /** Services for mode {@code none}: everything in memory. */
  static HighAvailabilityServices standalone() {
    return new StandaloneHighAvailabilityServices();
  }
}
