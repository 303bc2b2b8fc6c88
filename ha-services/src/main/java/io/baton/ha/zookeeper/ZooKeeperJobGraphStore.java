package io.baton.ha.zookeeper;

import io.baton.common.ids.JobId;
import io.baton.ha.JobGraphStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Job graphs under {@code <cluster>/jobgraphs/<jobId>}, each pointing to a file. */
final class ZooKeeperJobGraphStore implements JobGraphStore {
  private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperJobGraphStore.class);

  private final FilePointerStore store;

  ZooKeeperJobGraphStore(FilePointerStore store) {
    this.store = store;
  }

  @Override
  public void put(JobId jobId, byte[] serializedJob) throws IOException {
    store.put(jobId.value(), out -> out.write(serializedJob));
    LOG.info("Job {}: job graph stored at {}", jobId, store.pathOf(jobId.value()));
  }

  @Override
  public Optional<byte[]> get(JobId jobId) throws IOException {
    return store.get(jobId.value(), InputStream::readAllBytes);
  }

  @Override
  public Set<JobId> jobIds() throws IOException {
    return JobIdChildren.parse(store, LOG, TreeSet::new);
  }

  @Override
  public void remove(JobId jobId) throws IOException {
    if (store.remove(jobId.value())) {
      LOG.info("Job {}: job graph removed from {}", jobId, store.pathOf(jobId.value()));
    }
  }
}
