package io.baton.ha;

import io.baton.common.ids.JobId;
import java.io.IOException;

/**
 * The stores a leading JobManager keeps so that a later leader can take over: jobs, jars, results,
 * and per job its completed checkpoints and checkpoint id counter. In ZooKeeper mode each instance
 * belongs to one leader session ({@link HighAvailabilityServices#leaderStores}) and every write
 * fails with {@link LeadershipLostException} once that session no longer leads. In non-HA mode
 * ({@code high-availability.type: none}) they live in the JobManager's memory: a restarted
 * JobManager starts without them.
 */
public interface LeaderStores {

  JobGraphStore jobGraphStore();

  JobResultStore jobResultStore();

  JobJarStore jobJarStore();

  /** Where each running job's current attempt is deployed, for a later leader to adopt. */
  DeploymentRecordStore deploymentRecordStore();

  /** The completed checkpoints of {@code jobId}; the same store on every call for that job. */
  CompletedCheckpointStore completedCheckpointStore(JobId jobId);

  /** The checkpoint id counter of {@code jobId}; the same counter on every call for that job. */
  CheckpointIdCounter checkpointIdCounter(JobId jobId);

  /**
   * The job is over and its result recorded: removes its deployment record and what is left of its
   * checkpoint pointers and its counter (the checkpoint files are the caller's). Failures are
   * logged; a later leader removes what is left.
   */
  void releaseJob(JobId jobId);

  /**
   * Deletes files in the storage directory that no pointer names, left by a leader that crashed
   * between writing a file and its pointer or between removing a pointer and its file. A new leader
   * calls it once, before it recovers jobs.
   */
  default void removeUnreferencedFiles() throws IOException {}
}
