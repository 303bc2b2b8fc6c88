package io.baton.ha.standalone;

import io.baton.common.ids.JobId;
import io.baton.ha.DeploymentRecord;
import io.baton.ha.DeploymentRecordStore;
import io.baton.ha.JobGraphStore;
import io.baton.ha.JobJarStore;
import io.baton.ha.JobResult;
import io.baton.ha.JobResultStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The job stores of a JobManager without high availability: in memory, gone with the process. */
final class StandaloneJobStores {
  private StandaloneJobStores() {}

  /** Job graphs in memory. */
  static final class Graphs implements JobGraphStore {
    private final Map<JobId, byte[]> jobs = new ConcurrentHashMap<>();

    @Override
    public void put(JobId jobId, byte[] serializedJob) {
      jobs.put(jobId, serializedJob.clone());
    }

    @Override
    public Optional<byte[]> get(JobId jobId) {
      return Optional.ofNullable(jobs.get(jobId)).map(byte[]::clone);
    }

    @Override
    public Set<JobId> jobIds() {
      return Set.copyOf(jobs.keySet());
    }

    @Override
    public void remove(JobId jobId) {
      jobs.remove(jobId);
    }
  }

  /** Deployment records in memory (a restarted JobManager without HA has no tasks to adopt). */
  static final class Deployments implements DeploymentRecordStore {
    private final Map<JobId, DeploymentRecord> records = new ConcurrentHashMap<>();

    @Override
    public void put(DeploymentRecord record) {
      records.put(record.jobId(), record);
    }

    @Override
    public Optional<DeploymentRecord> get(JobId jobId) {
      return Optional.ofNullable(records.get(jobId));
    }

    @Override
    public void remove(JobId jobId) {
      records.remove(jobId);
    }
  }

  /** Job results in memory. */
  static final class Results implements JobResultStore {
    private final Map<JobId, JobResult> results = new ConcurrentHashMap<>();

    @Override
    public void put(JobResult result) {
      results.put(result.jobId(), result);
    }

    @Override
    public Optional<JobResult> get(JobId jobId) {
      return Optional.ofNullable(results.get(jobId));
    }

    @Override
    public List<JobResult> all() {
      return List.copyOf(results.values());
    }
  }

  /**
   * Jars without a shared copy: the JobManager's own jar store is the only one, so this one only
   * remembers the files it was given.
   */
  static final class Jars implements JobJarStore {
    private final Map<String, Path> jars = new ConcurrentHashMap<>();

    @Override
    public void put(String key, Path jar) {
      jars.putIfAbsent(key, jar);
    }

    @Override
    public boolean contains(String key) {
      return jars.containsKey(key);
    }

    @Override
    public void copyTo(String key, Path target) throws IOException {
      Path jar = jars.get(key);
      if (jar == null) {
        throw new IOException("no job jar " + key);
      }
      Files.copy(jar, target, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void delete(String key) {
      jars.remove(key);
    }

    @Override
    public Set<String> keys() {
      return Set.copyOf(jars.keySet());
    }
  }
}
