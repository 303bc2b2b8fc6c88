package io.baton.coordinator.jobmaster;

import io.baton.common.ids.JobId;
import io.baton.ha.JobResult;
import io.baton.ha.LeaderStores;
import io.baton.ha.factory.HighAvailabilityServicesFactory;
import java.io.IOException;

/**
 * The high-availability writes that end a job's life, which the dispatcher hands to each job
 * master: recording the job's result, releasing the job (nothing resumes it any more) and removing
 * its job graph. A job master makes them in that order, around the shutdown of its checkpoints (see
 * {@link io.baton.coordinator.scheduler.JobScheduler}).
 */
public final class JobLifecycleStores {
  private final LeaderStores stores;

  /**
   * @param stores the leader session's stores
   */
  public JobLifecycleStores(LeaderStores stores) {
    this.stores = stores;
  }

  /** In-memory stores: for tests that check no job's afterlife. */
  public static JobLifecycleStores inMemory() {
    return new JobLifecycleStores(HighAvailabilityServicesFactory.inMemoryStores());
  }

  /**
   * Step 1: records the job's result, so no later leader runs the job again.
   *
   * @throws io.baton.ha.LeadershipLostException when another JobManager leads now
   * @throws IOException when the store cannot be written
   */
  void recordResult(JobResult result) throws IOException {
    stores.jobResultStore().put(result);
  }

  /** Step 3: nothing resumes this job any more. */
  void releaseJob(JobId jobId) {
    stores.releaseJob(jobId);
  }

  /** Step 4: the job leaves the job graph store. */
  void removeJobGraph(JobId jobId) throws IOException {
    stores.jobGraphStore().remove(jobId);
  }
}
