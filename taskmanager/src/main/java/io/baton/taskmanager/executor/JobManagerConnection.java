package io.baton.taskmanager.executor;

import io.baton.common.checkpoint.CheckpointAcknowledgement;
import io.baton.common.checkpoint.CheckpointDeclined;
import io.baton.common.checkpoint.EndOfData;
import io.baton.common.cluster.Acknowledgement;
import io.baton.common.cluster.HeartbeatAnswer;
import io.baton.common.cluster.HeartbeatReport;
import io.baton.common.cluster.RegistrationResponse;
import io.baton.common.cluster.TaskManagerRegistration;
import io.baton.common.execution.ExecutionStateUpdate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The TaskManager's calls to the JobManager. Every call has a deadline; a call that gets no answer
 * fails with a {@link JobManagerCallException} whose message says why in one line. Futures complete
 * on the transport's threads: callers hop onto their own thread.
 *
 * <p>In HA mode the JobManager moves: {@link #retarget} points every later call at the new leader.
 * Until a first target is known, calls fail at once.
 */
public interface JobManagerConnection extends AutoCloseable {

  /** host:port of the current target, for logs. */
  String address();

  /**
   * Sends every later call to {@code host:port}; calls in flight finish or fail on their own.
   *
   * @return whether the target changed
   */
  boolean retarget(String host, int port);

  /** Lets a connection that failed try again at once, so a JobManager that is back is found. */
  void reconnectNow();

  CompletableFuture<RegistrationResponse> register(
      TaskManagerRegistration registration, Duration deadline);

  CompletableFuture<HeartbeatAnswer> heartbeat(HeartbeatReport heartbeat, Duration deadline);

  CompletableFuture<Acknowledgement> updateTaskState(
      ExecutionStateUpdate update, Duration deadline);

  CompletableFuture<Acknowledgement> acknowledgeCheckpoint(
      CheckpointAcknowledgement ack, Duration deadline);

  CompletableFuture<Acknowledgement> declineCheckpoint(
      CheckpointDeclined decline, Duration deadline);

  CompletableFuture<Acknowledgement> notifyEndOfData(EndOfData notice, Duration deadline);

  @Override
  void close();
}
