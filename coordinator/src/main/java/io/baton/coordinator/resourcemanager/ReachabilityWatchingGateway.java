package io.baton.coordinator.resourcemanager;

import io.baton.common.checkpoint.CheckpointNotice;
import io.baton.common.checkpoint.CheckpointTrigger;
import io.baton.common.cluster.Acknowledgement;
import io.baton.common.cluster.FreeSlotCommand;
import io.baton.common.cluster.RpcAddress;
import io.baton.common.deployment.AdoptTasksCommand;
import io.baton.common.deployment.CancelTaskCommand;
import io.baton.common.deployment.TaskDeployment;
import io.baton.common.ids.TaskManagerId;
import io.baton.coordinator.rpc.TaskManagerGateway;
import io.grpc.Status;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A {@link TaskManagerGateway} that reports calls which found nobody at the TaskManager's address
 * (gRPC {@code UNAVAILABLE}: connection refused or reset). A TaskManager that was killed answers no
 * more heartbeats either, but waiting {@code heartbeat.timeout} for that would have the job masters
 * cancel into it and redeploy into its slots meanwhile, each attempt failing and using up a
 * restart. A hung TaskManager keeps its connections, so its calls end by their deadline instead and
 * only the heartbeat timeout releases it.
 */
final class ReachabilityWatchingGateway implements TaskManagerGateway {
  private final TaskManagerGateway delegate;
  private final Consumer<Throwable> unreachable;

  /**
   * @param unreachable told of each call that failed with {@code UNAVAILABLE}, on the RPC thread
   */
  ReachabilityWatchingGateway(TaskManagerGateway delegate, Consumer<Throwable> unreachable) {
    this.delegate = delegate;
    this.unreachable = unreachable;
  }

  @Override
  public TaskManagerId taskManagerId() {
    return delegate.taskManagerId();
  }

  @Override
  public RpcAddress address() {
    return delegate.address();
  }

  @Override
  public CompletableFuture<Acknowledgement> submitTask(TaskDeployment request) {
    return watched(delegate.submitTask(request));
  }

  @Override
  public CompletableFuture<Acknowledgement> cancelTask(CancelTaskCommand request) {
    return watched(delegate.cancelTask(request));
  }

  @Override
  public CompletableFuture<Acknowledgement> freeSlot(FreeSlotCommand request) {
    return watched(delegate.freeSlot(request));
  }

  @Override
  public CompletableFuture<Acknowledgement> triggerCheckpoint(CheckpointTrigger request) {
    return watched(delegate.triggerCheckpoint(request));
  }

  @Override
  public CompletableFuture<Acknowledgement> notifyCheckpointComplete(
      CheckpointNotice notification) {
    return watched(delegate.notifyCheckpointComplete(notification));
  }

  @Override
  public CompletableFuture<Acknowledgement> notifyCheckpointAborted(CheckpointNotice notification) {
    return watched(delegate.notifyCheckpointAborted(notification));
  }

  @Override
  public CompletableFuture<Acknowledgement> adoptTasks(AdoptTasksCommand command) {
    return watched(delegate.adoptTasks(command));
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return delegate.toString();
  }

  private CompletableFuture<Acknowledgement> watched(CompletableFuture<Acknowledgement> call) {
    return call.whenComplete(
        (ack, error) -> {
          if (error != null && isUnavailable(error)) {
            unreachable.accept(error);
          }
        });
  }

  /** The gRPC status of a failed call in one line, e.g. {@code UNAVAILABLE: io exception}. */
  static String describe(Throwable error) {
    Status status = Status.fromThrowable(error);
    return status.getDescription() == null
        ? status.getCode().name()
        : status.getCode() + ": " + status.getDescription();
  }

  /** Whether the failure, or one of its causes, is a gRPC {@code UNAVAILABLE}. */
  static boolean isUnavailable(Throwable error) {
    return Status.fromThrowable(error).getCode() == Status.Code.UNAVAILABLE;
  }
}
