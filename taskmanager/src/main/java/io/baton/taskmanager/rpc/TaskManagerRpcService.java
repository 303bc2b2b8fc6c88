package io.baton.taskmanager.rpc;

import io.baton.common.cluster.Acknowledgement;
import io.baton.common.rpc.Ack;
import io.baton.common.rpc.AdoptTasksRequest;
import io.baton.common.rpc.CancelTaskRequest;
import io.baton.common.rpc.CheckpointMessages;
import io.baton.common.rpc.CheckpointNotification;
import io.baton.common.rpc.ClusterMessages;
import io.baton.common.rpc.DeploymentMessages;
import io.baton.common.rpc.ExecutionMessages;
import io.baton.common.rpc.FreeSlotRequest;
import io.baton.common.rpc.SubmitTaskRequest;
import io.baton.common.rpc.TaskManagerServiceGrpc;
import io.baton.common.rpc.TriggerCheckpointRequest;
import io.baton.taskmanager.executor.TaskExecutor;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Serves TaskManagerService: every call hops onto the TaskExecutor's main thread, where its fencing
 * token is checked against the current JobManager's before the message is read (a malformed one is
 * rejected in one line) and handed to the TaskExecutor.
 */
public final class TaskManagerRpcService extends TaskManagerServiceGrpc.TaskManagerServiceImplBase {
  private final TaskExecutor executor;

  public TaskManagerRpcService(TaskExecutor executor) {
    this.executor = executor;
  }

  @Override
  public void submitTask(SubmitTaskRequest request, StreamObserver<Ack> responses) {
    answer(
        responses,
        request.getFencingToken(),
        "SubmitTask",
        () -> DeploymentMessages.fromProto(request),
        executor::submitTask);
  }

  @Override
  public void cancelTask(CancelTaskRequest request, StreamObserver<Ack> responses) {
    answer(
        responses,
        request.getFencingToken(),
        "CancelTask",
        () -> DeploymentMessages.fromProto(request),
        executor::cancelTask);
  }

  @Override
  public void adoptTasks(AdoptTasksRequest request, StreamObserver<Ack> responses) {
    answer(
        responses,
        request.getFencingToken(),
        "AdoptTasks",
        () -> DeploymentMessages.fromProto(request),
        executor::adoptTasks);
  }

  @Override
  public void freeSlot(FreeSlotRequest request, StreamObserver<Ack> responses) {
    answer(
        responses,
        request.getFencingToken(),
        "FreeSlot",
        () -> ClusterMessages.fromProto(request),
        executor::freeSlot);
  }

  @Override
  public void triggerCheckpoint(TriggerCheckpointRequest request, StreamObserver<Ack> responses) {
    answer(
        responses,
        request.getFencingToken(),
        "TriggerCheckpoint",
        () -> CheckpointMessages.fromProto(request),
        executor::triggerCheckpoint);
  }

  @Override
  public void notifyCheckpointComplete(
      CheckpointNotification request, StreamObserver<Ack> responses) {
    answer(
        responses,
        request.getFencingToken(),
        "NotifyCheckpointComplete",
        () -> CheckpointMessages.fromProto(request),
        executor::notifyCheckpointComplete);
  }

  @Override
  public void notifyCheckpointAborted(
      CheckpointNotification request, StreamObserver<Ack> responses) {
    answer(
        responses,
        request.getFencingToken(),
        "NotifyCheckpointAborted",
        () -> CheckpointMessages.fromProto(request),
        executor::notifyCheckpointAborted);
  }

  /**
   * Checks the token, reads the message and runs the command, all on the TaskExecutor's main
   * thread; answers with the command's acknowledgement.
   */
  private <T> void answer(
      StreamObserver<Ack> responses,
      String fencingToken,
      String call,
      Supplier<T> read,
      Function<T, CompletableFuture<Acknowledgement>> command) {
    executor
        .onJobManagerCommand(
            fencingToken,
            call,
            () -> {
              T message;
              try {
                message = read.get();
              } catch (IllegalArgumentException malformed) {
                return CompletableFuture.completedFuture(
                    Acknowledgement.refused("rejected: " + malformed.getMessage()));
              }
              return command.apply(message);
            })
        .whenComplete(
            (acknowledgement, error) -> {
              if (error == null) {
                responses.onNext(ExecutionMessages.toProto(acknowledgement));
                responses.onCompleted();
                return;
              }
              Throwable cause = error instanceof CompletionException ? error.getCause() : error;
              if (cause instanceof RejectedExecutionException) {
                responses.onError(
                    Status.UNAVAILABLE
                        .withDescription("the TaskManager is shutting down")
                        .asRuntimeException());
              } else {
                responses.onError(
                    Status.INTERNAL
                        .withDescription(TaskExecutor.oneLine(cause))
                        .withCause(cause)
                        .asRuntimeException());
              }
            });
  }
}
