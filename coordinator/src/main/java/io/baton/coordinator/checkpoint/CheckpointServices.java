package io.baton.coordinator.checkpoint;

import io.baton.common.config.Configuration;
import io.baton.ha.LeaderStores;
import io.baton.ha.factory.HighAvailabilityServicesFactory;
import io.baton.storage.FileStores;
import java.util.concurrent.Executor;

/**
 * What every job's checkpointing shares in a JobManager: the storage, the stores of completed
 * checkpoints and ids, and the executor storage calls run on (never a main thread). The writes that
 * end a job's life (its result, its release, its job graph) are not here: see {@code
 * io.baton.coordinator.jobmaster.JobLifecycleStores}.
 */
public record CheckpointServices(FileStores fileStores, CheckpointStores stores, Executor io) {

  /** Checkpointing with the checkpoint stores of a leader session's stores. */
  public CheckpointServices(FileStores fileStores, LeaderStores leaderStores, Executor io) {
    this(fileStores, CheckpointStores.of(leaderStores), io);
  }

  /** In-memory stores, storage calls on the calling thread: for tests without checkpoints. */
  public static CheckpointServices direct() {
    return new CheckpointServices(
        new FileStores(new Configuration()),
        HighAvailabilityServicesFactory.inMemoryStores(),
        Runnable::run);
  }

  public CheckpointFiles files() {
    return new CheckpointFiles(fileStores);
  }
}
