package io.baton.coordinator.checkpoint;

import io.baton.common.concurrent.MainThreadExecutor;
import io.baton.common.config.CheckpointingOptions;
import io.baton.common.ids.JobId;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints and savepoints asked for through the REST API (Flink's {@code POST
 * /jobs/{id}/checkpoints} and {@code /savepoints}), besides the periodic checkpoints. A checkpoint
 * request while as many checkpoints are in flight as may run at once waits, as Flink queues a
 * manual request, for the oldest of them to end either way, then asks again. Main thread.
 */
final class OnDemandCheckpoints {
  private static final Logger LOG = LoggerFactory.getLogger(OnDemandCheckpoints.class);

  /** What a request needs of the job's checkpoint coordinator. Main thread. */
  interface Checkpoints {
    /** Whether a checkpoint can be taken now: the job runs and so do its tasks. */
    boolean tasksReady();

    /** Whether a new leader adopted the tasks and is still settling the checkpoint ids. */
    boolean settlingAdoption();

    /**
     * When no more checkpoints may be in flight at once: completes (either way) when the oldest of
     * them ends; empty while there is room for one more.
     */
    Optional<CompletableFuture<?>> oldestInFlightWhenFull();

    /**
     * The next checkpoint id.
     *
     * @throws IOException when no id can be taken (a {@link io.baton.ha.LeadershipLostException}:
     *     another JobManager leads now)
     */
    long nextId() throws IOException;

    /** Triggers checkpoint {@code id} into {@code directory}; completes with its path. */
    CompletableFuture<String> trigger(long id, URI directory, boolean savepoint);
  }

  private final JobId jobId;
  private final CheckpointSettings settings;
  private final Checkpoints checkpoints;
  private final MainThreadExecutor mainThread;
  // requests waiting for room, oldest first
  private final List<CompletableFuture<Long>> waiting = new ArrayList<>();

  OnDemandCheckpoints(
      JobId jobId,
      CheckpointSettings settings,
      Checkpoints checkpoints,
      MainThreadExecutor mainThread) {
    this.jobId = jobId;
    this.settings = settings;
    this.checkpoints = checkpoints;
    this.mainThread = mainThread;
  }

  /**
   * Takes a checkpoint now, or once there is room for one more in flight; completes with its id
   * once it completed.
   */
  CompletableFuture<Long> checkpoint() {
    mainThread.assertRunningInMainThread();
    if (settings.checkpointsDirectory().isEmpty()) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException(
              "job "
                  + jobId
                  + " has no checkpoint directory: set "
                  + CheckpointingOptions.CHECKPOINTS_DIRECTORY.key()));
    }
    if (!checkpoints.tasksReady()) {
      return notRunning("checkpoint");
    }
    Optional<CompletableFuture<?>> full = checkpoints.oldestInFlightWhenFull();
    if (full.isPresent()) {
      return queue(full.get());
    }
    long id;
    try {
      id = checkpoints.nextId();
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    URI jobDir = CheckpointFiles.asDirectory(settings.checkpointsDirectory().get());
    LOG.info("Checkpoint {} of job {} triggered through the REST API", id, jobId);
    return checkpoints
        .trigger(id, jobDir.resolve(jobId + "/chk-" + id), false)
        .thenApply(path -> id);
  }

  /**
   * Takes a savepoint into {@code <targetDirectory>/savepoint-<job>-<random>}; completes with its
   * path.
   *
   * @param targetDirectory empty: {@code state.savepoints.dir}
   */
  CompletableFuture<String> savepoint(Optional<URI> targetDirectory) {
    mainThread.assertRunningInMainThread();
    Optional<URI> target = targetDirectory.or(settings::savepointsDirectory);
    if (target.isEmpty()) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException(
              "no savepoint directory: give one or set "
                  + CheckpointingOptions.SAVEPOINT_DIRECTORY.key()));
    }
    if (!checkpoints.tasksReady()) {
      return notRunning("savepoint");
    }
    if (checkpoints.settlingAdoption()) {
      return CompletableFuture.failedFuture(
          new IllegalStateException(
              "cannot take a savepoint of job "
                  + jobId
                  + " yet: a new leader adopted its tasks and is settling its checkpoint ids"));
    }
    String name =
        "savepoint-"
            + jobId.toString().substring(0, 6)
            + "-"
            + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    long id;
    try {
      id = checkpoints.nextId();
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    return checkpoints.trigger(id, CheckpointFiles.asDirectory(target.get()).resolve(name), true);
  }

  /** Waits, after the requests queued before it, until {@code oldestInFlight} ended either way. */
  private CompletableFuture<Long> queue(CompletableFuture<?> oldestInFlight) {
    CompletableFuture<Long> answer = new CompletableFuture<>();
    if (waiting.isEmpty()) {
      oldestInFlight.handle((ignored, error) -> null).thenRunAsync(this::askAgain, mainThread);
    }
    waiting.add(answer);
    return answer;
  }

  /** Asks again for each queued request, in the order they came. */
  private void askAgain() {
    List<CompletableFuture<Long>> queued = List.copyOf(waiting);
    waiting.clear();
    for (CompletableFuture<Long> answer : queued) {
      checkpoint()
          .whenComplete(
              (id, error) -> {
                if (error == null) {
                  answer.complete(id);
                } else {
                  answer.completeExceptionally(
                      error instanceof CompletionException && error.getCause() != null
                          ? error.getCause()
                          : error);
                }
              });
    }
  }

  private <T> CompletableFuture<T> notRunning(String what) {
    return CompletableFuture.failedFuture(
        new IllegalStateException(
            "cannot take a " + what + " of job " + jobId + ": not all of its tasks are RUNNING"));
  }
}
