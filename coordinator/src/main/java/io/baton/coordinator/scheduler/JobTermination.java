package io.baton.coordinator.scheduler;

import io.baton.coordinator.status.JobDetails;
import io.baton.coordinator.status.JobStatus;

/**
 * What the job master makes durable when the scheduler ends the job's run, in the order {@link
 * JobScheduler} calls it on the main thread: the result first, then (after the checkpoints shut
 * down) the job is released and forgotten, then the final details.
 */
public interface JobTermination {

  /** Whether a job's result is stored, so that no later leader runs the job again. */
  enum ResultRecording {
    RECORDED,
    /** The store failed: the job stays stored with its checkpoints for the next leader. */
    NOT_RECORDED,
    /** Another JobManager leads now: the job is suspended instead. */
    LEADERSHIP_LOST
  }

  /**
   * Step 1 of a globally terminal end: records the job's result.
   *
   * @param failureCause the cause of a FAILED job in full; null otherwise
   */
  ResultRecording recordResult(JobStatus terminal, long startTime, String failureCause);

  /**
   * The last steps of a globally terminal end whose result was recorded: nothing resumes the job
   * any more and it leaves the job graph store.
   */
  void forgetJob();

  /** The run ended; {@code finalDetails} are the job's details at its end. */
  void terminated(JobDetails finalDetails);

  /**
   * What the job's tasks do when a refused store write shows that another JobManager leads now:
   * with reconciliation its successor adopts them (or its TaskManagers cancel them when nobody
   * does), so they are left running; without, they are cancelled.
   */
  SuspendedTasks tasksOnLeadershipLost();
}
