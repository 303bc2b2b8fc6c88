package io.baton.ha.zookeeper;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.baton.common.ids.JobId;
import io.baton.ha.JobResult;
import io.baton.ha.JobResultStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Job results under {@code <cluster>/job-results/<jobId>}, each pointing to a JSON file. */
final class ZooKeeperJobResultStore implements JobResultStore {
  private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperJobResultStore.class);

  private final FilePointerStore store;
  private final ObjectMapper json;

  ZooKeeperJobResultStore(FilePointerStore store, ObjectMapper json) {
    this.store = store;
    this.json = json;
  }

  /** The file's format; version 1. */
  record JobResultFile(
      int version,
      String jobId,
      String jobName,
      String status,
      long startTime,
      long endTime,
      String failureCause) {
    static JobResultFile of(JobResult result) {
      return new JobResultFile(
          1,
          result.jobId().value(),
          result.jobName(),
          result.status(),
          result.startTime(),
          result.endTime(),
          result.failureCause().orElse(null));
    }

    JobResult toResult() {
      if (version != 1) {
        throw new IllegalArgumentException("unknown job result format version " + version);
      }
      return new JobResult(
          new JobId(jobId), jobName, status, startTime, endTime, Optional.ofNullable(failureCause));
    }
  }

  @Override
  public void put(JobResult result) throws IOException {
    String name = result.jobId().value();
    store.put(name, out -> json.writeValue(out, JobResultFile.of(result)));
    LOG.info(
        "Job {}: result {} recorded at {}", result.jobId(), result.status(), store.pathOf(name));
  }

  @Override
  public Optional<JobResult> get(JobId jobId) throws IOException {
    return store.get(jobId.value(), in -> json.readValue(in, JobResultFile.class).toResult());
  }

  @Override
  public List<JobResult> all() throws IOException {
    List<JobResult> results = new ArrayList<>();
    for (JobId jobId : JobIdChildren.parse(store, LOG, ArrayList::new)) {
      try {
        get(jobId).ifPresent(results::add);
      } catch (IOException e) {
        LOG.warn("Skipping an unreadable job result: {}", e.getMessage());
      }
    }
    return results;
  }
}
