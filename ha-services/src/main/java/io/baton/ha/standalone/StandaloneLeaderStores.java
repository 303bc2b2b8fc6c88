package io.baton.ha.standalone;

import io.baton.common.ids.JobId;
import io.baton.ha.CheckpointIdCounter;
import io.baton.ha.CompletedCheckpointStore;
import io.baton.ha.DeploymentRecordStore;
import io.baton.ha.JobGraphStore;
import io.baton.ha.JobJarStore;
import io.baton.ha.JobResultStore;
import io.baton.ha.LeaderStores;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** In-memory stores per job, for a JobManager without high availability. */
final class StandaloneLeaderStores implements LeaderStores {
  private final Map<JobId, CompletedCheckpointStore> stores = new ConcurrentHashMap<>();
  private final Map<JobId, CheckpointIdCounter> counters = new ConcurrentHashMap<>();
  private final JobGraphStore jobGraphs = new StandaloneJobStores.Graphs();
  private final JobResultStore jobResults = new StandaloneJobStores.Results();
  private final JobJarStore jobJars = new StandaloneJobStores.Jars();
  private final StandaloneJobStores.Deployments deployments = new StandaloneJobStores.Deployments();

  @Override
  public JobGraphStore jobGraphStore() {
    return jobGraphs;
  }

  @Override
  public JobResultStore jobResultStore() {
    return jobResults;
  }

  @Override
  public JobJarStore jobJarStore() {
    return jobJars;
  }

  @Override
  public DeploymentRecordStore deploymentRecordStore() {
    return deployments;
  }

  @Override
  public CompletedCheckpointStore completedCheckpointStore(JobId jobId) {
    return stores.computeIfAbsent(jobId, id -> new StandaloneCompletedCheckpointStore());
  }

  @Override
  public CheckpointIdCounter checkpointIdCounter(JobId jobId) {
    return counters.computeIfAbsent(jobId, id -> new StandaloneCheckpointIdCounter());
  }

  @Override
  public void releaseJob(JobId jobId) {
    deployments.remove(jobId);
    stores.remove(jobId);
    counters.remove(jobId);
  }
}
