package io.baton.ha;

import io.baton.common.ids.JobId;
import java.io.IOException;
import java.util.Optional;

/**
 * Each running job's current deployment ({@link DeploymentRecord}), written whenever the leader
 * deploys an attempt and removed with the job, so that a new leader can adopt the tasks still
 * running instead of restarting them. Writes fail with {@link LeadershipLostException} once the
 * writer no longer leads.
 */
public interface DeploymentRecordStore {

  /** Records the job's current deployment, replacing the one before. */
  void put(DeploymentRecord record) throws IOException;

  /**
   * The job's recorded deployment. Empty when there is none, and also when the stored record cannot
   * be read or makes no sense: a damaged record only costs the adoption (the job restarts from its
   * checkpoint), so it is logged with the node that holds it and read as no record.
   */
  Optional<DeploymentRecord> get(JobId jobId);

  /** Removes the job's record, if any. */
  void remove(JobId jobId) throws IOException;
}
