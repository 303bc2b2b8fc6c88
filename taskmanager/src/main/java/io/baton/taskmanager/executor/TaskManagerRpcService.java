package io.baton.taskmanager.executor;

import io.baton.common.rpc.Ack;
import io.baton.common.rpc.CancelTaskRequest;
import io.baton.common.rpc.CheckpointNotification;
import io.baton.common.rpc.FreeSlotRequest;
import io.baton.common.rpc.ReconnectRequest;
import io.baton.common.rpc.SubmitTaskRequest;
import io.baton.common.rpc.TaskManagerServiceGrpc;
import io.baton.common.rpc.TriggerCheckpointRequest;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/** Serves TaskManagerService: every call hops onto the TaskExecutor's main thread. */
final class TaskManagerRpcService extends TaskManagerServiceGrpc.TaskManagerServiceImplBase {
  private final TaskExecutor executor;
  private final Executor mainThread;

  TaskManagerRpcService(TaskExecutor executor, Executor mainThread) {
    this.executor = executor;
    this.mainThread = mainThread;
  }

  @Override
  public void submitTask(SubmitTaskRequest request, StreamObserver<Ack> responses) {
    answer(responses, () -> executor.submitTask(request));
  }

  @Override
  public void cancelTask(CancelTaskRequest request, StreamObserver<Ack> responses) {
    answer(responses, () -> executor.cancelTask(request));
  }

  @Override
  public void freeSlot(FreeSlotRequest request, StreamObserver<Ack> responses) {
    answer(responses, () -> executor.freeSlot(request));
  }

  @Override
  public void triggerCheckpoint(TriggerCheckpointRequest request, StreamObserver<Ack> responses) {
    answer(responses, () -> executor.triggerCheckpoint(request));
  }

  @Override
  public void notifyCheckpointComplete(
      CheckpointNotification request, StreamObserver<Ack> responses) {
    answer(responses, () -> executor.notifyCheckpointComplete(request));
  }

  @Override
  public void notifyCheckpointAborted(
      CheckpointNotification request, StreamObserver<Ack> responses) {
    answer(responses, () -> executor.notifyCheckpointAborted(request));
  }

  @Override
  public void reconnect(ReconnectRequest request, StreamObserver<Ack> responses) {
    answer(responses, () -> executor.notSupportedYet(request.getFencingToken(), "Reconnect"));
  }

  private void answer(StreamObserver<Ack> responses, Supplier<CompletableFuture<Ack>> handler) {
    try {
      mainThread.execute(
          () -> {
            CompletableFuture<Ack> result;
            try {
              result = handler.get();
            } catch (RuntimeException e) {
              result = CompletableFuture.failedFuture(e);
            }
            result.whenComplete(
                (ack, error) -> {
                  if (error != null) {
                    responses.onError(
                        Status.INTERNAL
                            .withDescription(JobLibraries.reason(error))
                            .withCause(error)
                            .asRuntimeException());
                  } else {
                    responses.onNext(ack);
                    responses.onCompleted();
                  }
                });
          });
    } catch (RejectedExecutionException shuttingDown) {
      responses.onError(
          Status.UNAVAILABLE
              .withDescription("the TaskManager is shutting down")
              .asRuntimeException());
    }
  }
}
