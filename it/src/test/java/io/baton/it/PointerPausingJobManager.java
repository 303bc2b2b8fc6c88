package io.baton.it;

import io.baton.common.config.Configuration;
import io.baton.common.config.ConfigurationLoader;
import io.baton.common.config.KnownOptions;
import io.baton.common.ids.JobId;
import io.baton.coordinator.JobManager;
import io.baton.coordinator.blob.LocalBlobStore;
import io.baton.ha.CheckpointIdCounter;
import io.baton.ha.CheckpointPointer;
import io.baton.ha.CompletedCheckpointStore;
import io.baton.ha.DeploymentRecordStore;
import io.baton.ha.HighAvailabilityServices;
import io.baton.ha.JobGraphStore;
import io.baton.ha.JobJarStore;
import io.baton.ha.JobResultStore;
import io.baton.ha.LeaderStores;
import io.baton.ha.StoredCheckpoint;
import io.baton.ha.factory.HighAvailabilityServicesFactory;
import io.baton.storage.FileStores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A JobManager JVM as {@code JobManagerEntrypoint} starts it, whose completed checkpoint stores can
 * stop the job master's thread in the one place no signal from outside can hit reliably: right
 * after a checkpoint's pointer is written to ZooKeeper and before the tasks are told that the
 * checkpoint completed (both happen on that thread, microseconds apart). Once the file {@code arm}
 * exists in the pause directory, the next pointer written is followed by a file {@code paused-<job
 * id>-<checkpoint id>} there, and the thread waits until the test SIGKILLs the process. Once per
 * process.
 *
 * <p>Arguments: the pause directory, then {@code JobManagerEntrypoint}'s ({@code --configDir DIR}
 * and {@code -Dkey=value}). The stores are the ZooKeeper stores of HA services of its own, fenced
 * by the same latch node as the JobManager's own.
 */
public final class PointerPausingJobManager {
  static final String ARM = "arm";
  static final String PAUSED_PREFIX = "paused-";

  private PointerPausingJobManager() {}

  public static void main(String[] args) throws Exception {
    Path pauseDir = Path.of(args[0]);
    Path configDir = null;
    Map<String, String> properties = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--configDir")) {
        configDir = Path.of(args[++i]);
      } else if (args[i].startsWith("-D")) {
        String[] keyValue = args[i].substring(2).split("=", 2);
        properties.put(keyValue[0], keyValue[1]);
      }
    }
    Configuration config =
        new ConfigurationLoader(KnownOptions.baton()).load(configDir, properties);
    FileStores fileStores = new FileStores(config);
    HighAvailabilityServices ha = HighAvailabilityServicesFactory.create(config, fileStores);
    AtomicBoolean pausedOnce = new AtomicBoolean();
    JobManager.builder(config, LocalBlobStore.inTmpDirs(config))
        .leaderStores(
            (election, session) ->
                new PausingStores(ha.leaderStores(election, session), pauseDir, pausedOnce))
        .start();
    // the test ends this process with SIGKILL; a forgotten one goes within the hour
    new CountDownLatch(1).await(1, TimeUnit.HOURS);
  }

  /** The leader's stores, with each job's completed checkpoints wrapped. */
  private record PausingStores(LeaderStores delegate, Path pauseDir, AtomicBoolean pausedOnce)
      implements LeaderStores {
    @Override
    public JobGraphStore jobGraphStore() {
      return delegate.jobGraphStore();
    }

    @Override
    public JobResultStore jobResultStore() {
      return delegate.jobResultStore();
    }

    @Override
    public JobJarStore jobJarStore() {
      return delegate.jobJarStore();
    }

    @Override
    public DeploymentRecordStore deploymentRecordStore() {
      return delegate.deploymentRecordStore();
    }

    @Override
    public CompletedCheckpointStore completedCheckpointStore(JobId jobId) {
      return new PausingCheckpointStore(
          jobId, delegate.completedCheckpointStore(jobId), pauseDir, pausedOnce);
    }

    @Override
    public CheckpointIdCounter checkpointIdCounter(JobId jobId) {
      return delegate.checkpointIdCounter(jobId);
    }

    @Override
    public void releaseJob(JobId jobId) {
      delegate.releaseJob(jobId);
    }

    @Override
    public void removeUnreferencedFiles() throws IOException {
      delegate.removeUnreferencedFiles();
    }
  }

  /** Pauses the caller after {@link #add} wrote the pointer, when armed. */
  private record PausingCheckpointStore(
      JobId jobId, CompletedCheckpointStore delegate, Path pauseDir, AtomicBoolean pausedOnce)
      implements CompletedCheckpointStore {
    @Override
    public void add(CheckpointPointer checkpoint) throws IOException {
      delegate.add(checkpoint);
      if (Files.exists(pauseDir.resolve(ARM)) && pausedOnce.compareAndSet(false, true)) {
        Files.createFile(pauseDir.resolve(PAUSED_PREFIX + jobId + "-" + checkpoint.checkpointId()));
        try {
          new CountDownLatch(1).await(1, TimeUnit.HOURS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    @Override
    public Optional<CheckpointPointer> latest() throws IOException {
      return delegate.latest();
    }

    @Override
    public List<CheckpointPointer> all() throws IOException {
      return delegate.all();
    }

    @Override
    public List<StoredCheckpoint> listing() throws IOException {
      return delegate.listing();
    }

    @Override
    public boolean remove(long checkpointId) throws IOException {
      return delegate.remove(checkpointId);
    }
  }
}
