package io.baton.coordinator.jobmaster;

import io.baton.common.cluster.Acknowledgement;
import io.baton.common.cluster.FreeSlotCommand;
import io.baton.common.cluster.RpcAddress;
import io.baton.common.deployment.CancelTaskCommand;
import io.baton.common.deployment.TaskDeployment;
import io.baton.common.ids.TaskManagerId;
import io.baton.coordinator.rpc.TaskManagerGateway;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Answers SubmitTask as scripted (accepting by default) and records every call. */
final class ScriptedGateway implements TaskManagerGateway {
  final TaskManagerId id;
  final List<TaskDeployment> submitted = new ArrayList<>();
  final List<CompletableFuture<Acknowledgement>> submitAnswers = new ArrayList<>();
  final List<CancelTaskCommand> cancelled = new ArrayList<>();
  final List<io.baton.common.deployment.AdoptTasksCommand> adopted = new ArrayList<>();
  boolean holdSubmitAnswers;
  Acknowledgement submitAnswer = Acknowledgement.accepted();
  Acknowledgement adoptAnswer = Acknowledgement.accepted();

  ScriptedGateway(TaskManagerId id) {
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
    return CompletableFuture.completedFuture(Acknowledgement.accepted());
  }

  @Override
  public CompletableFuture<Acknowledgement> triggerCheckpoint(
      io.baton.common.checkpoint.CheckpointTrigger request) {
    return CompletableFuture.completedFuture(Acknowledgement.accepted());
  }

  @Override
  public CompletableFuture<Acknowledgement> notifyCheckpointComplete(
      io.baton.common.checkpoint.CheckpointNotice notification) {
    return CompletableFuture.completedFuture(Acknowledgement.accepted());
  }

  @Override
  public CompletableFuture<Acknowledgement> adoptTasks(
      io.baton.common.deployment.AdoptTasksCommand command) {
    adopted.add(command);
    return CompletableFuture.completedFuture(adoptAnswer);
  }

  @Override
  public CompletableFuture<Acknowledgement> notifyCheckpointAborted(
      io.baton.common.checkpoint.CheckpointNotice notification) {
    return CompletableFuture.completedFuture(Acknowledgement.accepted());
  }

  @Override
  public CompletableFuture<Acknowledgement> freeSlot(FreeSlotCommand request) {
    return CompletableFuture.completedFuture(Acknowledgement.accepted());
  }

  @Override
  public void close() {}
}
