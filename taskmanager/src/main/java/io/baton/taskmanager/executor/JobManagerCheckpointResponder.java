package io.baton.taskmanager.executor;

import io.baton.common.checkpoint.CheckpointAcknowledgement;
import io.baton.common.checkpoint.CheckpointDeclined;
import io.baton.common.checkpoint.EndOfData;
import io.baton.common.cluster.Acknowledgement;
import io.baton.common.concurrent.MainThreadExecutor;
import io.baton.taskmanager.task.CheckpointResponder;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a task's checkpoint answers to the JobManager, each call with a deadline, retrying a few
 * times with a growing pause when the call fails (a late answer is still better than none: the
 * coordinator drops answers of checkpoints it no longer tracks).
 */
final class JobManagerCheckpointResponder implements CheckpointResponder {
  private static final Logger LOG = LoggerFactory.getLogger(JobManagerCheckpointResponder.class);

  private final JobManagerConnection jobManager;
  private final MainThreadExecutor timers;
  private final Duration deadline;
  private final int attempts;
  private final Duration firstPause;
  private final CheckpointAckTimes ackTimes;

  JobManagerCheckpointResponder(
      JobManagerConnection jobManager,
      MainThreadExecutor timers,
      Duration deadline,
      int attempts,
      Duration firstPause,
      CheckpointAckTimes ackTimes) {
    this.ackTimes = ackTimes;
    this.jobManager = jobManager;
    this.timers = timers;
    this.deadline = deadline;
    this.attempts = attempts;
    this.firstPause = firstPause;
  }

  @Override
  public void acknowledge(CheckpointAcknowledgement ack) {
    ackTimes.record(ack.alignmentDuration().plus(ack.syncDuration()).plus(ack.asyncDuration()));
    send(
        "acknowledgement of checkpoint " + ack.checkpointId() + " by " + ack.executionId(),
        () -> jobManager.acknowledgeCheckpoint(ack, deadline),
        1);
  }

  @Override
  public void decline(CheckpointDeclined decline) {
    send(
        "decline of checkpoint " + decline.checkpointId() + " by " + decline.executionId(),
        () -> jobManager.declineCheckpoint(decline, deadline),
        1);
  }

  @Override
  public void endOfData(EndOfData notice) {
    send(
        "end-of-data notice of " + notice.executionId(),
        () -> jobManager.notifyEndOfData(notice, deadline),
        1);
  }

  private void send(String what, Supplier<CompletableFuture<Acknowledgement>> call, int attempt) {
    call.get()
        .whenComplete(
            (ack, error) -> {
              if (error == null) {
                if (!ack.ok()) {
                  LOG.info("The JobManager refused the {}: {}", what, ack.error());
                }
                return;
              }
              if (attempt >= attempts) {
                LOG.warn("Giving up the {} after {} attempts", what, attempt, error);
                return;
              }
              long pause = firstPause.toMillis() << (attempt - 1);
              LOG.info(
                  "The {} failed ({}); trying again in {} ms",
                  what,
                  JobManagerCallException.describe(error),
                  pause);
              try {
                timers.schedule(() -> send(what, call, attempt + 1), Duration.ofMillis(pause));
              } catch (RejectedExecutionException shutDown) {
                LOG.info("Not retrying the {}: the TaskManager shuts down", what);
              }
            });
  }
}
