package io.baton.taskmanager.executor;

import io.baton.common.cluster.Acknowledgement;
import io.baton.common.config.Configuration;
import io.baton.common.deployment.TaskDeployment;
import io.baton.common.ids.AllocationId;
import io.baton.common.ids.ExecutionId;
import io.baton.common.ids.JobId;
import io.baton.storage.FileStores;
import io.baton.taskmanager.network.NetworkEnvironment;
import io.baton.taskmanager.task.CheckpointResponder;
import io.baton.taskmanager.task.TaskEnvironment;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deploys submitted tasks: takes the slot, fetches the job's jar and class loader off the main
 * thread, then creates and starts the task back on it, unless the slot was freed or the JobManager
 * changed meanwhile. Used on the TaskExecutor's main thread only.
 */
final class TaskDeployer {
  private static final Logger LOG = LoggerFactory.getLogger(TaskDeployer.class);

  private final Configuration config;
  private final JobManagerFencing fencing;
  private final SlotTable slots;
  private final JobLibraries libraries;
  private final RunningTasks tasks;
  private final TaskFactory taskFactory;
  private final NetworkEnvironment network;
  private final FileStores fileStores;
  private final CheckpointResponder checkpointResponder;
  private final ExecutorService ioExecutor;

  /** Runs on the main thread; drops the work once the TaskExecutor has shut down. */
  private final Executor onMainThread;

  TaskDeployer(
      Configuration config,
      JobManagerFencing fencing,
      SlotTable slots,
      JobLibraries libraries,
      RunningTasks tasks,
      TaskFactory taskFactory,
      NetworkEnvironment network,
      FileStores fileStores,
      CheckpointResponder checkpointResponder,
      ExecutorService ioExecutor,
      Executor onMainThread) {
    this.config = config;
    this.fencing = fencing;
    this.slots = slots;
    this.libraries = libraries;
    this.tasks = tasks;
    this.taskFactory = taskFactory;
    this.network = network;
    this.fileStores = fileStores;
    this.checkpointResponder = checkpointResponder;
    this.ioExecutor = ioExecutor;
    this.onMainThread = onMainThread;
  }

  /** Deploys a task the JobManager submitted (its fencing token was checked). */
  CompletableFuture<Acknowledgement> submitTask(TaskDeployment request) {
    JobId jobId = request.jobId();
    ExecutionId executionId = request.executionId();
    AllocationId allocationId = request.allocationId();
    String name =
        request.vertexName()
            + " ("
            + (request.subtaskIndex() + 1)
            + "/"
            + request.parallelism()
            + ")";
    if (tasks.contains(executionId)) {
      LOG.info("{} ({}) is already deployed here; acknowledging again", name, executionId);
      return CompletableFuture.completedFuture(Acknowledgement.accepted());
    }
    SlotTable.Allocation allocation = new SlotTable.Allocation(allocationId, jobId);
    Optional<String> slotProblem = slots.allocate(request.slotIndex(), allocation);
    if (slotProblem.isPresent()) {
      LOG.warn("Rejecting {} of job {} ({}): {}", name, jobId, executionId, slotProblem.get());
      return CompletableFuture.completedFuture(
          Acknowledgement.refused("rejected: " + slotProblem.get()));
    }
    String token = fencing.current();
    return libraries
        .classLoader(jobId, request.blobKey().orElse(""))
        .handleAsync(
            (loader, error) ->
                deploy(request, name, jobId, executionId, allocation, token, loader, error),
            onMainThread);
  }

  private Acknowledgement deploy(
      TaskDeployment request,
      String name,
      JobId jobId,
      ExecutionId executionId,
      SlotTable.Allocation allocation,
      String token,
      ClassLoader loader,
      Throwable error) {
    if (error != null) {
      String reason = JobLibraries.reason(error);
      LOG.warn("Cannot deploy {} of job {} ({}): {}", name, jobId, executionId, reason);
      tasks.maybeReleaseJob(jobId);
      return Acknowledgement.refused("cannot deploy " + name + ": " + reason);
    }
    if (!token.equals(fencing.current()) || !slots.isAllocatedTo(request.slotIndex(), allocation)) {
      LOG.info(
          "Not deploying {} of job {} ({}): its slot {} was freed while the job jar was fetched",
          name,
          jobId,
          executionId,
          request.slotIndex());
      tasks.maybeReleaseJob(jobId);
      return Acknowledgement.refused(
          "cannot deploy "
              + name
              + ": slot "
              + request.slotIndex()
              + " was freed while the job jar was fetched");
    }
    if (tasks.contains(executionId)) {
      return Acknowledgement.accepted();
    }
    TaskHandle handle;
    try {
      handle =
          taskFactory.create(
              new TaskEnvironment(
                  request,
                  loader,
                  network,
                  tasks.listenerFor(jobId),
                  config,
                  null,
                  fileStores,
                  checkpointResponder,
                  ioExecutor));
    } catch (RuntimeException e) {
      LOG.warn("Cannot create {} of job {} ({})", name, jobId, executionId, e);
      tasks.maybeReleaseJob(jobId);
      return Acknowledgement.refused("cannot deploy " + name + ": " + e);
    }
    RunningTask task =
        new RunningTask(
            handle, jobId, allocation, name, request.attemptNumber(), request.slotIndex());
    tasks.add(executionId, task);
    handle
        .terminationFuture()
        .whenCompleteAsync((state, e) -> tasks.taskEnded(executionId, task), onMainThread);
    LOG.info(
        "Deploying {} of job {} ({}), execution {}, attempt {}, into slot {}",
        name,
        request.jobName(),
        jobId,
        executionId,
        request.attemptNumber(),
        request.slotIndex());
    try {
      handle.start();
    } catch (RuntimeException e) {
      LOG.warn("Cannot start {} of job {} ({})", name, jobId, executionId, e);
      tasks.remove(executionId);
      tasks.maybeReleaseJob(jobId);
      return Acknowledgement.refused("cannot start " + name + ": " + e);
    }
    return Acknowledgement.accepted();
  }
}
