package io.baton.ha;

import io.baton.common.ids.JobId;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The results of jobs that reached a terminal state. A result is written before the job's
 * checkpoints and job graph are cleaned up, so a leader that fails over in between finds the result
 * and finishes the clean-up instead of running the job again. Writes fail with {@link
 * LeadershipLostException} once the writer no longer leads.
 */
public interface JobResultStore {

  /** Records a job's result; a result for the same job is replaced. */
  void put(JobResult result) throws IOException;

  /** A job's result; empty when it has none (still running, or unknown). */
  Optional<JobResult> get(JobId jobId) throws IOException;

  /** Every recorded result; unreadable entries are logged with their path and skipped. */
  List<JobResult> all() throws IOException;
}
