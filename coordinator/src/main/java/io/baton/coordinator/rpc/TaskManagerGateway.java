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
import java.util.concurrent.CompletableFuture;

/**
 * The JobManager's side of one TaskManager's TaskManagerService, in Baton's types. Every command
 * leaves stamped with the JobManager's fencing token (the gateway adds it); every call has a
 * deadline. Futures complete on an RPC thread: callers hop back onto their own.
 */
public interface TaskManagerGateway extends AutoCloseable {

  TaskManagerId taskManagerId();

  RpcAddress address();

  CompletableFuture<Acknowledgement> submitTask(TaskDeployment request);

  CompletableFuture<Acknowledgement> cancelTask(CancelTaskCommand request);

  CompletableFuture<Acknowledgement> freeSlot(FreeSlotCommand request);

  /** Asks a source task to inject a checkpoint barrier. */
  CompletableFuture<Acknowledgement> triggerCheckpoint(CheckpointTrigger request);

  /** Tells a task a checkpoint completed (sinks commit then). */
  CompletableFuture<Acknowledgement> notifyCheckpointComplete(CheckpointNotice notification);

  /** Tells a task a checkpoint was aborted (it drops what it kept for it). */
  CompletableFuture<Acknowledgement> notifyCheckpointAborted(CheckpointNotice notification);

  /**
   * Takes over tasks the TaskManager kept running while leadership moved
   * (jobmanager.failover.reconcile), so it no longer cancels them when its wait for adoption ends.
   */
  CompletableFuture<Acknowledgement> adoptTasks(AdoptTasksCommand command);

  /** Releases the connection; calls after this fail. */
  @Override
  void close();
}
