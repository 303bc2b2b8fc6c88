package io.baton.coordinator.checkpoint;

import io.baton.common.concurrent.MainThreadExecutor;
import io.baton.common.ids.JobId;
import io.baton.ha.CompletedCheckpointStore;
import io.baton.ha.StoredCheckpoint;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a job resumes after a failure or a change of leader: the stored checkpoints are checked on
 * the I/O executor, newest first, and those that cannot be restored are passed over with a warning
 * and a history entry. Used on the checkpoint coordinator's main thread.
 */
final class RestorePointSelection {
  private static final Logger LOG = LoggerFactory.getLogger(RestorePointSelection.class);

  private final JobId jobId;
  private final CompletedCheckpointStore store;
  private final CheckpointFiles files;
  private final CheckpointLocations locations;
  private final CheckpointStatsTracker stats;
  private final MainThreadExecutor mainThread;
  private final Executor io;

  RestorePointSelection(
      JobId jobId,
      CompletedCheckpointStore store,
      CheckpointFiles files,
      CheckpointLocations locations,
      CheckpointStatsTracker stats,
      MainThreadExecutor mainThread,
      Executor io) {
    this.jobId = jobId;
    this.store = store;
    this.files = files;
    this.locations = locations;
    this.stats = stats;
    this.mainThread = mainThread;
    this.io = io;
  }

  /**
   * Decides where the job resumes on its own: the latest completed checkpoint whose pointer,
   * metadata and state files are all intact, passing over (with a warning and a history entry)
   * those that are not; without one, {@code initialRestore} or nothing, unless a checkpoint
   * completed before (see {@link RestoreDecision}). Main thread; completes on it.
   *
   * @param initialRestore where the job was submitted to start
   */
  CompletableFuture<RestoreDecision> select(Optional<RestorePoint> initialRestore) {
    mainThread.assertRunningInMainThread();
    List<StoredCheckpoint> newestFirst;
    try {
      newestFirst = new ArrayList<>(store.listing());
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    Collections.reverse(newestFirst);
    boolean completedBefore = !newestFirst.isEmpty() || stats.snapshot().counts().completed() > 0;
    return CompletableFuture.supplyAsync(
            () -> ReadableCheckpoint.latest(newestFirst, files, locations, jobId.toString()), io)
        .thenApplyAsync(
            found -> {
              for (ReadableCheckpoint.Skipped s : found.skipped()) {
                LOG.warn(
                    "Job {} does not restore from checkpoint {} at {}: {}; trying the one before",
                    jobId,
                    s.checkpointId(),
                    s.location(),
                    s.reason());
                stats.skippedOnRestore(s.checkpointId(), s.location(), s.reason());
              }
              return RestoreDecision.decide(jobId, found, completedBefore, initialRestore);
            },
            mainThread);
  }
}
