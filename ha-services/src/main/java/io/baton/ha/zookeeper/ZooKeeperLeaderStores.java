package io.baton.ha.zookeeper;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.baton.common.ids.JobId;
import io.baton.ha.CheckpointIdCounter;
import io.baton.ha.CompletedCheckpointStore;
import io.baton.ha.DeploymentRecordStore;
import io.baton.ha.JobGraphStore;
import io.baton.ha.JobJarStore;
import io.baton.ha.JobResultStore;
import io.baton.ha.LeaderStores;
import io.baton.storage.ConfinedDirectory;
import io.baton.storage.FileStores;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.curator.utils.ZKPaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HA stores of one leader session, laid out as docs/architecture.md says: pointers under {@code
 * <root>/<cluster-id>/{jobgraphs,checkpoints,checkpoint-counter,job-results,blobs,deployments}},
 * files under {@code <storageDir>/<cluster-id>/<kind>/}. Every write is fenced on the latch node of
 * that session ({@link FencedZooKeeper}).
 */
final class ZooKeeperLeaderStores implements LeaderStores {
  private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperLeaderStores.class);

  static final String JOB_GRAPHS = "jobgraphs";
  static final String CHECKPOINTS = "checkpoints";
  static final String CHECKPOINT_COUNTER = "checkpoint-counter";
  static final String JOB_RESULTS = "job-results";
  static final String BLOBS = "blobs";
  static final String DEPLOYMENTS = "deployments";

  private final FencedZooKeeper zooKeeper;
  private final String clusterPath;
  private final FileStores fileStores;
  private final URI clusterStorage;
  private final Runnable countBackgroundRead;
  private final ObjectMapper json = new ObjectMapper();
  private final JobGraphStore jobGraphs;
  private final JobResultStore jobResults;
  private final JobJarStore jobJars;
  private final DeploymentRecordStore deployments;
  private final Map<JobId, ZooKeeperCompletedCheckpointStore> checkpointStores =
      new ConcurrentHashMap<>();
  private final Map<JobId, ZooKeeperCheckpointIdCounter> counters = new ConcurrentHashMap<>();

  /**
   * @param clusterStorage {@code <storageDir>/<cluster-id>}
   * @param countBackgroundRead counts a request Curator sent on the stores' behalf
   */
  ZooKeeperLeaderStores(
      FencedZooKeeper zooKeeper,
      String clusterPath,
      FileStores fileStores,
      URI clusterStorage,
      Runnable countBackgroundRead) {
    this.zooKeeper = zooKeeper;
    this.clusterPath = clusterPath;
    this.fileStores = fileStores;
    this.clusterStorage = clusterStorage;
    this.countBackgroundRead = countBackgroundRead;
    this.jobGraphs = new ZooKeeperJobGraphStore(pointers(JOB_GRAPHS, JOB_GRAPHS, ""));
    this.jobResults = new ZooKeeperJobResultStore(pointers(JOB_RESULTS, JOB_RESULTS, ""), json);
    this.jobJars = new ZooKeeperJobJarStore(pointers(BLOBS, BLOBS, ""));
    this.deployments =
        new ZooKeeperDeploymentRecordStore(pointers(DEPLOYMENTS, DEPLOYMENTS, ""), json);
  }

  private FilePointerStore pointers(String znode, String kind, String filePrefix) {
    return new FilePointerStore(
        zooKeeper,
        ZKPaths.makePath(clusterPath, znode),
        fileStores,
        FilePointerStore.child(clusterStorage, kind),
        filePrefix);
  }

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
    return checkpointStores.computeIfAbsent(
        jobId,
        id ->
            new ZooKeeperCompletedCheckpointStore(
                id,
                new FilePointerStore(
                    zooKeeper,
                    checkpointsPath(id),
                    fileStores,
                    FilePointerStore.child(clusterStorage, CHECKPOINTS),
                    id.value() + "-"),
                json));
  }

  @Override
  public CheckpointIdCounter checkpointIdCounter(JobId jobId) {
    return counters.computeIfAbsent(
        jobId,
        id ->
            new ZooKeeperCheckpointIdCounter(id, zooKeeper, counterPath(id), countBackgroundRead));
  }

  private String checkpointsPath(JobId jobId) {
    return ZKPaths.makePath(clusterPath, CHECKPOINTS, jobId.value());
  }

  private String counterPath(JobId jobId) {
    return ZKPaths.makePath(clusterPath, CHECKPOINT_COUNTER, jobId.value());
  }

  @Override
  public void releaseJob(JobId jobId) {
    try {
      deployments.remove(jobId);
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "Job {}: could not remove its deployment record; a later leader finds no job graph for"
              + " it and never reads it: {}",
          jobId,
          e.getMessage(),
          e);
    }
    checkpointStores.remove(jobId);
    ZooKeeperCheckpointIdCounter counter = counters.remove(jobId);
    if (counter != null) {
      counter.close();
    }
    String parent = checkpointsPath(jobId);
    try {
      // Pointers first (one fenced transaction), then the files they named (rule 6).
      List<String> paths = new ArrayList<>();
      List<URI> files = new ArrayList<>();
      ConfinedDirectory checkpointFiles =
          FilePointerStore.confinementOf(FilePointerStore.child(clusterStorage, CHECKPOINTS));
      for (String child : zooKeeper.children(parent)) {
        String path = ZKPaths.makePath(parent, child);
        paths.add(path);
        Optional<URI> named = zooKeeper.read(path).flatMap(FilePointerStore::parseUri);
        Optional<URI> inside = named.flatMap(checkpointFiles::resolve);
        if (named.isPresent() && inside.isEmpty()) {
          LOG.warn(
              "Job {}: pointer {} names {}, outside {}: that file stays, not deleted",
              jobId,
              path,
              named.get(),
              checkpointFiles);
        }
        inside.ifPresent(files::add);
      }
      if (zooKeeper.exists(parent)) {
        paths.add(parent);
      }
      if (zooKeeper.exists(counterPath(jobId))) {
        paths.add(counterPath(jobId));
      }
      zooKeeper.deleteAll(paths);
      for (URI file : files) {
        fileStores.forUri(file).delete(file);
      }
      LOG.info(
          "Job {}: released its {} checkpoint pointer(s) and its checkpoint id counter",
          jobId,
          files.size());
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "Job {}: could not release {} and {}; a later leader removes what is left: {}",
          jobId,
          parent,
          counterPath(jobId),
          e.getMessage(),
          e);
    }
  }

  /**
   * Deletes files no pointer names. Lists the files before it reads the pointers, so that a file
   * published (with its pointer) while it runs is not taken for a leftover.
   */
  @Override
  public void removeUnreferencedFiles() throws IOException {
    int deleted = 0;
    for (String kind : List.of(JOB_GRAPHS, JOB_RESULTS, BLOBS, DEPLOYMENTS, CHECKPOINTS)) {
      URI directory = FilePointerStore.child(clusterStorage, kind);
      List<URI> files = fileStores.forUri(directory).list(directory);
      if (files.isEmpty()) {
        continue;
      }
      int depth = kind.equals(CHECKPOINTS) ? 2 : 1;
      Set<String> referenced =
          FilePointerStore.referencedFileNames(
              zooKeeper, ZKPaths.makePath(clusterPath, kind), depth);
      deleted +=
          FilePointerStore.removeUnreferencedFiles(
              fileStores, FilePointerStore.confinementOf(directory), files, referenced);
    }
    LOG.info("Removed {} file(s) without a pointer under {}", deleted, clusterStorage);
  }

  /** Stops the counters' watches; called when the leadership ends. */
  void close() {
    counters.values().forEach(ZooKeeperCheckpointIdCounter::close);
  }

  /** The latch node this session's writes are fenced on. */
  String fencingLatchNode() {
    return zooKeeper.latchNode();
  }
}
