package io.baton.coordinator.rpc;

import io.baton.common.checkpoint.CheckpointNotice;
import io.baton.common.checkpoint.CheckpointTrigger;
import io.baton.common.cluster.Acknowledgement;
import io.baton.common.cluster.FreeSlotCommand;
import io.baton.common.cluster.RpcAddress;
import io.baton.common.deployment.AdoptTasksCommand;
import io.baton.common.deployment.CancelTaskCommand;
import io.baton.common.deployment.TaskDeployment;
import io.baton.common.ids.TaskManagerId;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TaskManager that records every command it is sent and accepts it, unless a test scripts another
 * answer to SubmitTask or AdoptTasks, or holds the SubmitTask answers back to complete them itself.
 */
public final class RecordingTaskManagerGateway implements TaskManagerGateway {
  public final TaskManagerId id;
  public final List<TaskDeployment> submitted = new CopyOnWriteArrayList<>();
  public final List<CancelTaskCommand> cancelled = new CopyOnWriteArrayList<>();
  public final List<CheckpointTrigger> triggered = new CopyOnWriteArrayList<>();
  public final List<CheckpointNotice> completed = new CopyOnWriteArrayList<>();
  public final List<CheckpointNotice> aborted = new CopyOnWriteArrayList<>();
  public final List<AdoptTasksCommand> adopted = new CopyOnWriteArrayList<>();

  /** The answer to each SubmitTask, in order; open ones while {@link #holdSubmitAnswers}. */
  public final List<CompletableFuture<Acknowledgement>> submitAnswers =
      new CopyOnWriteArrayList<>();

  public volatile boolean holdSubmitAnswers;
  public volatile Acknowledgement submitAnswer = Acknowledgement.accepted();
  public volatile Acknowledgement adoptAnswer = Acknowledgement.accepted();

  /** A TaskManager on host {@code host-<first character of id>}, port 1. */
  public RecordingTaskManagerGateway(TaskManagerId id) {
    this.id = id;
  }

  @Override
  public TaskManagerId taskManagerId() {
    return id;
  }

  @Override
  public RpcAddress address() {
    return new RpcAddress("host-" + id.value().charAt(0), 1);
  }

  @Override
  public CompletableFuture<Acknowledgement> submitTask(TaskDeployment request) {
    submitted.add(request);
    CompletableFuture<Acknowledgement> answer = new CompletableFuture<>();
    submitAnswers.add(answer);
    if (!holdSubmitAnswers) {
      answer.complete(submitAnswer);
    }
    return answer;
  }

  @Override
  public CompletableFuture<Acknowledgement> cancelTask(CancelTaskCommand request) {
    cancelled.add(request);
    return accepted();
  }

  @Override
  public CompletableFuture<Acknowledgement> freeSlot(FreeSlotCommand request) {
    return accepted();
  }

  @Override
  public CompletableFuture<Acknowledgement> triggerCheckpoint(CheckpointTrigger request) {
    triggered.add(request);
    return accepted();
  }

  @Override
  public CompletableFuture<Acknowledgement> notifyCheckpointComplete(CheckpointNotice notice) {
    completed.add(notice);
    return accepted();
  }

  @Override
  public CompletableFuture<Acknowledgement> notifyCheckpointAborted(CheckpointNotice notice) {
    aborted.add(notice);
    return accepted();
  }

  @Override
  public CompletableFuture<Acknowledgement> adoptTasks(AdoptTasksCommand command) {
    adopted.add(command);
    return CompletableFuture.completedFuture(adoptAnswer);
  }

  @Override
  public void close() {}

  private static CompletableFuture<Acknowledgement> accepted() {
    return CompletableFuture.completedFuture(Acknowledgement.accepted());
  }
}
