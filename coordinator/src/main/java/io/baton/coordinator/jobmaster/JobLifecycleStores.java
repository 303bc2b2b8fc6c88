package io.baton.coordinator.jobmaster;

import io.baton.common.ids.JobId;
import io.baton.ha.DeploymentRecord;
import io.baton.ha.JobResult;
import io.baton.ha.LeaderStores;
import io.baton.ha.factory.HighAvailabilityServicesFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The high-availability writes of a job's life outside its checkpoints: the dispatcher stores the
 * job's jar and graph when it accepts the job, and hands these stores to the job master, which
 * records where each attempt is deployed (for a later leader to adopt its tasks) and, at the job's
 * end, records its result, releases it (nothing resumes it any more) and removes its job graph, in
 * that order around the shutdown of its checkpoints (see {@link
 * io.baton.coordinator.scheduler.JobScheduler}). Writes block on storage: never on the dispatcher's
 * thread.
 */
public final class JobLifecycleStores {
  private final LeaderStores stores;
  private final String leader;

  /**
   * Stores whose deployment records name no leader.
   *
   * @param stores the leader session's stores
   */
  public JobLifecycleStores(LeaderStores stores) {
    this(stores, DeploymentRecord.UNKNOWN_LEADER);
  }

  /**
   * @param stores the leader session's stores
   * @param leader the digest of the session's fencing token ({@code TokenDigest}): the deployment
   *     records it writes name it, so a later leader says whose tasks it adopted
   */
  public JobLifecycleStores(LeaderStores stores, String leader) {
    this.stores = stores;
    this.leader = leader;
  }

  /** The digest of the fencing token of the leader session writing through these stores. */
  String leader() {
    return leader;
  }

  /** In-memory stores: for tests that check no job's afterlife. */
  public static JobLifecycleStores inMemory() {
    return new JobLifecycleStores(HighAvailabilityServicesFactory.inMemoryStores());
  }

  /**
   * Stores a job's jar for the next leader.
   *
   * @throws IOException when the store cannot be written (also when this JobManager no longer
   *     leads)
   */
  public void storeJar(String key, Path jar) throws IOException {
    stores.jobJarStore().put(key, jar);
  }

  /**
   * Stores an accepted job, so a later leader resumes it.
   *
   * @throws IOException when the store cannot be written (also when this JobManager no longer
   *     leads)
   */
  public void storeJobGraph(JobId jobId, byte[] serializedJob) throws IOException {
    stores.jobGraphStore().put(jobId, serializedJob);
  }

  /**
   * Records where the job's current attempt runs, replacing the record of the attempt before.
   *
   * @throws io.baton.ha.LeadershipLostException when another JobManager leads now
   * @throws IOException when the store cannot be written
   */
  void recordDeployment(DeploymentRecord record) throws IOException {
    stores.deploymentRecordStore().put(record);
  }

  /**
   * The job's recorded deployment; empty when there is none or it cannot be read. Blocks on the
   * store: never on a main thread.
   */
  Optional<DeploymentRecord> deploymentRecord(JobId jobId) {
    return stores.deploymentRecordStore().get(jobId);
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
