package io.baton.coordinator.ha;

import io.baton.common.ids.JobId;
import io.baton.ha.CheckpointIdCounter;
import io.baton.ha.CheckpointPointer;
import io.baton.ha.CompletedCheckpointStore;
import io.baton.ha.DeploymentRecord;
import io.baton.ha.DeploymentRecordStore;
import io.baton.ha.JobGraphStore;
import io.baton.ha.JobJarStore;
import io.baton.ha.JobResult;
import io.baton.ha.JobResultStore;
import io.baton.ha.LeaderStores;
import io.baton.ha.LeadershipLostException;
import io.baton.ha.StoredCheckpoint;
import io.baton.ha.factory.HighAvailabilityServicesFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * In-memory HA stores whose writes are refused with {@link LeadershipLostException} once {@link
 * #depose} was called, as the ZooKeeper stores refuse a deposed leader's writes; reads go on.
 */
final class FencedStores implements LeaderStores {
  final LeaderStores inner = HighAvailabilityServicesFactory.inMemoryStores();
  private volatile boolean deposed;

  void depose() {
    deposed = true;
  }

  private void checkLeads() throws LeadershipLostException {
    if (deposed) {
      throw new LeadershipLostException("latch node gone: a newer leader owns the stores");
    }
  }

  @Override
  public JobGraphStore jobGraphStore() {
    JobGraphStore graphs = inner.jobGraphStore();
    return new JobGraphStore() {
      @Override
      public void put(JobId jobId, byte[] serializedJob) throws IOException {
        checkLeads();
        graphs.put(jobId, serializedJob);
      }

      @Override
      public Optional<byte[]> get(JobId jobId) throws IOException {
        return graphs.get(jobId);
      }

      @Override
      public Set<JobId> jobIds() throws IOException {
        return graphs.jobIds();
      }

      @Override
      public void remove(JobId jobId) throws IOException {
        checkLeads();
        graphs.remove(jobId);
      }
    };
  }

  @Override
  public JobResultStore jobResultStore() {
    JobResultStore results = inner.jobResultStore();
    return new JobResultStore() {
      @Override
      public void put(JobResult result) throws IOException {
        checkLeads();
        results.put(result);
      }

      @Override
      public Optional<JobResult> get(JobId jobId) throws IOException {
        return results.get(jobId);
      }

      @Override
      public List<JobResult> all() throws IOException {
        return results.all();
      }
    };
  }

  @Override
  public JobJarStore jobJarStore() {
    JobJarStore jars = inner.jobJarStore();
    return new JobJarStore() {
      @Override
      public void put(String key, Path jar) throws IOException {
        checkLeads();
        jars.put(key, jar);
      }

      @Override
      public boolean contains(String key) throws IOException {
        return jars.contains(key);
      }

      @Override
      public void copyTo(String key, Path target) throws IOException {
        jars.copyTo(key, target);
      }

      @Override
      public void delete(String key) throws IOException {
        checkLeads();
        jars.delete(key);
      }

      @Override
      public Set<String> keys() throws IOException {
        return jars.keys();
      }
    };
  }

  @Override
  public DeploymentRecordStore deploymentRecordStore() {
    DeploymentRecordStore deployments = inner.deploymentRecordStore();
    return new DeploymentRecordStore() {
      @Override
      public void put(DeploymentRecord record) throws IOException {
        checkLeads();
        deployments.put(record);
      }

      @Override
      public Optional<DeploymentRecord> get(JobId jobId) {
        return deployments.get(jobId);
      }

      @Override
      public void remove(JobId jobId) throws IOException {
        checkLeads();
        deployments.remove(jobId);
      }
    };
  }

  @Override
  public CompletedCheckpointStore completedCheckpointStore(JobId jobId) {
    CompletedCheckpointStore store = inner.completedCheckpointStore(jobId);
    return new CompletedCheckpointStore() {
      @Override
      public void add(CheckpointPointer checkpoint) throws IOException {
        checkLeads();
        store.add(checkpoint);
      }

      @Override
      public Optional<CheckpointPointer> latest() throws IOException {
        return store.latest();
      }

      @Override
      public List<CheckpointPointer> all() throws IOException {
        return store.all();
      }

      @Override
      public List<StoredCheckpoint> listing() throws IOException {
        return store.listing();
      }

      @Override
      public boolean remove(long checkpointId) throws IOException {
        checkLeads();
        return store.remove(checkpointId);
      }
    };
  }

  @Override
  public CheckpointIdCounter checkpointIdCounter(JobId jobId) {
    CheckpointIdCounter counter = inner.checkpointIdCounter(jobId);
    return new CheckpointIdCounter() {
      @Override
      public void start() throws IOException {
        counter.start();
      }

      @Override
      public long getAndIncrement() throws IOException {
        checkLeads();
        return counter.getAndIncrement();
      }

      @Override
      public long get() throws IOException {
        return counter.get();
      }

      @Override
      public void setCount(long nextId) throws IOException {
        checkLeads();
        counter.setCount(nextId);
      }
    };
  }

  @Override
  public void releaseJob(JobId jobId) {
    if (!deposed) {
      inner.releaseJob(jobId);
    }
  }
}
