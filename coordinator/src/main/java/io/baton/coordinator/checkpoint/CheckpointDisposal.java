package io.baton.coordinator.checkpoint;

import io.baton.common.config.CheckpointingOptions.ExternalizedRetention;
import io.baton.common.ids.JobId;
import io.baton.coordinator.status.JobStatus;
import io.baton.ha.CheckpointPointer;
import io.baton.ha.CompletedCheckpointStore;
import io.baton.ha.LeadershipLostException;
import io.baton.ha.StoredCheckpoint;
import io.baton.storage.OutsideStorageException;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes a job's checkpoints that are no longer wanted: those beyond {@code
 * state.checkpoints.num-retained}, those of aborted checkpoints, and all of them when the job ends
 * as retention says. Pointers go first and files second (rule 6 of the ZooKeeper safety rules,
 * docs/architecture.md), so a restore never follows a pointer to a checkpoint being deleted; file
 * deletes run on the I/O executor.
 */
public final class CheckpointDisposal {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointDisposal.class);

  private final JobId jobId;
  private final CompletedCheckpointStore store;
  private final CheckpointFiles files;
  private final Executor io;
  private final CheckpointLocations locations;

  CheckpointDisposal(
      JobId jobId,
      CompletedCheckpointStore store,
      CheckpointFiles files,
      Executor io,
      CheckpointLocations locations) {
    this.jobId = jobId;
    this.store = store;
    this.files = files;
    this.io = io;
    this.locations = locations;
  }

  /**
   * Keeps the newest {@code numRetained} readable completed checkpoints: older ones lose their
   * pointer first, then their files. A pointer that cannot be read (garbled, or naming a place
   * outside the storage) takes no place among them, so it cannot push an intact checkpoint out
   * however high its id; it ages out once it is older than the oldest one kept. A refused pointer
   * removal for lost leadership goes to {@code leadershipLost}. Main thread.
   */
  void retain(int numRetained, Consumer<String> leadershipLost) {
    List<StoredCheckpoint> all;
    try {
      all = store.listing();
    } catch (IOException e) {
      LOG.warn("Retention of job {}'s checkpoints postponed: {}", jobId, e.getMessage());
      return;
    }
    for (StoredCheckpoint old : retired(all, numRetained)) {
      // the pointer goes first, so a restore never picks a checkpoint being deleted
      try {
        store.remove(old.checkpointId());
      } catch (LeadershipLostException e) {
        leadershipLost.accept(
            "withdrawing checkpoint " + old.checkpointId() + ": " + e.getMessage());
        return;
      } catch (IOException e) {
        LOG.warn(
            "Keeping checkpoint {} of job {} for now: cannot remove its pointer: {}",
            old.checkpointId(),
            jobId,
            e.getMessage());
        return;
      }
      LOG.info(
          "Removing checkpoint {} of job {}: more than {} retained",
          old.checkpointId(),
          jobId,
          numRetained);
      old.pointer().ifPresent(p -> deleteLater(jobId, files, io, locations, p));
    }
  }

  /**
   * The checkpoints of {@code oldestFirst} beyond the newest {@code numRetained} readable ones,
   * oldest first: the readable ones older than those, and the unreadable ones older than the oldest
   * kept.
   */
  static List<StoredCheckpoint> retired(List<StoredCheckpoint> oldestFirst, int numRetained) {
    List<StoredCheckpoint> retired = new ArrayList<>();
    int keptReadable = 0;
    for (int i = oldestFirst.size() - 1; i >= 0; i--) {
      StoredCheckpoint checkpoint = oldestFirst.get(i);
      if (keptReadable >= numRetained) {
        retired.add(0, checkpoint);
      } else if (checkpoint.pointer().isPresent()) {
        keptReadable++;
      }
    }
    return retired;
  }

  /** Deletes a checkpoint directory on the I/O executor; a failure is logged. */
  void deleteLater(URI directory) {
    deleteLater(jobId, files, io, directory);
  }

  /** Deletes a withdrawn checkpoint's directory, only when it lies where its kind belongs. */
  private static void deleteLater(
      JobId jobId,
      CheckpointFiles files,
      Executor io,
      CheckpointLocations locations,
      CheckpointPointer pointer) {
    URI directory;
    try {
      directory =
          locations.directoryOf(
              pointer, "checkpoint " + pointer.checkpointId() + " of job " + jobId);
    } catch (OutsideStorageException e) {
      LOG.warn("Job {}: not deleting a withdrawn checkpoint: {}", jobId, e.getMessage());
      return;
    }
    deleteLater(jobId, files, io, directory);
  }

  private static void deleteLater(JobId jobId, CheckpointFiles files, Executor io, URI directory) {
    io.execute(
        () -> {
          try {
            files.deleteDirectory(directory);
          } catch (IOException | RuntimeException e) {
            LOG.warn("Could not delete {} of job {}: {}", directory, jobId, e.toString());
          }
        });
  }

  /**
   * Deletes the checkpoints of a job that ended with {@code terminal} as retention says: when it
   * FINISHED, or was CANCELED without {@code RETAIN_ON_CANCELLATION}, pointers first, files second;
   * a FAILED or SUSPENDED job keeps them to be resumed. A new leader calls it for a job whose
   * result a crashed leader recorded before it could clean up.
   */
  public static void cleanUp(
      JobId jobId,
      JobStatus terminal,
      CheckpointSettings settings,
      CompletedCheckpointStore store,
      CheckpointFiles files,
      Executor io) {
    boolean discard =
        terminal == JobStatus.FINISHED
            || (terminal == JobStatus.CANCELED
                && settings.retention() == ExternalizedRetention.DELETE_ON_CANCELLATION);
    List<StoredCheckpoint> completed;
    try {
      completed = store.listing();
    } catch (IOException e) {
      LOG.warn(
          "Job {} is {}; its checkpoints stay where they are: {}", jobId, terminal, e.getMessage());
      return;
    }
    if (!discard) {
      if (!completed.isEmpty()) {
        LOG.info(
            "Job {} is {}; keeping its checkpoints {}",
            jobId,
            terminal,
            completed.stream().map(StoredCheckpoint::location).toList());
      }
      return;
    }
    for (StoredCheckpoint checkpoint : completed) {
      try {
        store.remove(checkpoint.checkpointId());
      } catch (IOException e) {
        LOG.warn(
            "Job {} is {}: keeping checkpoint {}: cannot remove its pointer: {}",
            jobId,
            terminal,
            checkpoint.checkpointId(),
            e.getMessage());
        continue;
      }
      LOG.info(
          "Job {} is {}: deleting checkpoint {} at {}",
          jobId,
          terminal,
          checkpoint.checkpointId(),
          checkpoint.location());
      CheckpointLocations locations = CheckpointLocations.of(settings);
      checkpoint.pointer().ifPresent(p -> deleteLater(jobId, files, io, locations, p));
    }
    // what is left are directories of aborted checkpoints whose files arrived late
    settings
        .checkpointsDirectory()
        .ifPresent(
            dir ->
                deleteLater(
                    jobId, files, io, CheckpointFiles.asDirectory(dir).resolve(jobId.toString())));
  }
}
