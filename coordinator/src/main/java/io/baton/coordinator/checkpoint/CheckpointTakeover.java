package io.baton.coordinator.checkpoint;

import io.baton.common.concurrent.MainThreadExecutor;
import io.baton.common.ids.JobId;
import io.baton.coordinator.executiongraph.ExecutionGraph;
import io.baton.coordinator.failover.FailureCauses;
import io.baton.ha.CheckpointIdCounter;
import io.baton.ha.CompletedCheckpointStore;
import io.baton.ha.StoredCheckpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a new leader does with the checkpoints of a job it takes over, for its {@link
 * CheckpointCoordinator}: the completed checkpoints earlier leaders stored join the job's history,
 * and when it adopts the job's running tasks it settles the checkpoint ids (counter past every id
 * the previous leader took, latest completed notified again, the previous leader's unfinished ones
 * aborted on the tasks) before checkpointing resumes. The stores are read on the I/O executor,
 * never on the job master's main thread; everything else runs on the main thread.
 */
final class CheckpointTakeover {
  // one log category for the job's checkpoints
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointCoordinator.class);

  /** The most ids before the counter whose checkpoints a new leader aborts on adopted tasks. */
  static final int MAX_ABORTED_ON_ADOPTION = 64;

  private final JobId jobId;
  private final CompletedCheckpointStore store;
  private final CheckpointIdCounter idCounter;
  private final ExecutionGraph executionGraph;
  private final MainThreadExecutor mainThread;
  private final Executor io;
  private final CheckpointStatsTracker stats;
  private final CheckpointTasks tasks;
  private final BooleanSupplier checkpointing;
  private final Runnable startPeriodic;
  // main thread only: no trigger until the previous leader's ids are settled
  private boolean resumingAdopted;

  /**
   * @param checkpointing whether the job runs and its checkpoints were not shut down (main thread)
   * @param startPeriodic starts the periodic trigger, its first checkpoint at once (main thread)
   */
  CheckpointTakeover(
      JobId jobId,
      CompletedCheckpointStore store,
      CheckpointIdCounter idCounter,
      ExecutionGraph executionGraph,
      MainThreadExecutor mainThread,
      Executor io,
      CheckpointStatsTracker stats,
      CheckpointTasks tasks,
      BooleanSupplier checkpointing,
      Runnable startPeriodic) {
    this.jobId = jobId;
    this.store = store;
    this.idCounter = idCounter;
    this.executionGraph = executionGraph;
    this.mainThread = mainThread;
    this.io = io;
    this.stats = stats;
    this.tasks = tasks;
    this.checkpointing = checkpointing;
    this.startPeriodic = startPeriodic;
  }

  /** See {@link CheckpointCoordinator#adoptStoredHistory()}. Main thread. */
  CompletableFuture<Void> adoptStoredHistory() {
    mainThread.assertRunningInMainThread();
    return CompletableFuture.supplyAsync(this::listing, io)
        .handleAsync(
            (listing, error) -> {
              if (error != null) {
                LOG.warn(
                    "Job {}'s earlier checkpoints are not in its history: {}",
                    jobId,
                    FailureCauses.unwrap(error).getMessage());
                return null;
              }
              // an unreadable pointer joins the history when the restore passes it over
              listing.stream().flatMap(c -> c.pointer().stream()).forEach(stats::adopted);
              return null;
            },
            mainThread);
  }

  /** Whether checkpoint ids are being settled for adopted tasks: nothing may be triggered. */
  boolean resumingAdopted() {
    return resumingAdopted;
  }

  /** See {@link CheckpointCoordinator#resumeAdopted()}. Main thread. */
  CompletableFuture<Long> resumeAdopted() {
    mainThread.assertRunningInMainThread();
    resumingAdopted = true;
    int attempt = executionGraph.attempt();
    return CompletableFuture.supplyAsync(this::settleIds, io)
        .handleAsync(
            (ids, error) -> {
              resumingAdopted = false;
              if (error != null) {
                throw new CompletionException(FailureCauses.unwrap(error));
              }
              resume(ids, attempt);
              return ids.latestCompleted();
            },
            mainThread);
  }

  /**
   * The ids settled for adopted tasks.
   *
   * @param latestCompleted the latest completed checkpoint's id, -1 when the job has none
   * @param next the id the counter hands out next, after the counter was moved there
   */
  private record SettledIds(long latestCompleted, long next) {
    /** The first of the previous leader's unfinished ids to abort on the tasks. */
    long firstAborted() {
      return Math.max(latestCompleted + 1, next - MAX_ABORTED_ON_ADOPTION);
    }
  }

  /** I/O executor: the counter is shared in the HA store, so it is past the old leader's ids. */
  private SettledIds settleIds() {
    try {
      List<StoredCheckpoint> stored = store.listing();
      long latest = stored.isEmpty() ? -1 : stored.get(stored.size() - 1).checkpointId();
      long next = Math.max(idCounter.get(), latest + 1);
      idCounter.setCount(next);
      return new SettledIds(latest, next);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the checkpoints and the id counter of adopted job " + jobId, e);
    }
  }

  private void resume(SettledIds ids, int attempt) {
    mainThread.assertRunningInMainThread();
    if (!checkpointing.getAsBoolean() || executionGraph.attempt() != attempt) {
      LOG.info(
          "Job {} no longer runs its adopted tasks: checkpoint {} is not notified again; ids below"
              + " {} stay unused",
          jobId,
          ids.latestCompleted(),
          ids.next());
      return;
    }
    if (ids.latestCompleted() >= 0) {
      tasks.notifyCompleted(ids.latestCompleted());
    }
    for (long id = ids.firstAborted(); id < ids.next(); id++) {
      tasks.notifyAborted(id);
    }
    LOG.info(
        "Job {} resumes checkpointing at id {} after adopting its tasks: checkpoint {} notified"
            + " again, {} unfinished id(s) of the previous leader aborted",
        jobId,
        ids.next(),
        ids.latestCompleted(),
        ids.next() - ids.firstAborted());
    startPeriodic.run();
  }

  private List<StoredCheckpoint> listing() {
    try {
      return store.listing();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
