package io.baton.taskmanager.executor;

import io.baton.common.cluster.Acknowledgement;
import io.baton.common.concurrent.MainThreadExecutor;
import io.baton.common.deployment.AdoptTasksCommand;
import io.baton.common.ids.AllocationId;
import io.baton.common.ids.ExecutionId;
import io.baton.common.security.TokenDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the tasks running while leadership moves (jobmanager.failover.reconcile), until the new
 * leader adopts them ({@link #adopt}) or the wait ends: then the TaskManager cancels the tasks no
 * leader adopted and frees their slots itself, so no task runs on for a leader that will never
 * command it. The old leader's token is refused from the moment the new one is published (that is
 * the caller's, through {@link JobManagerFencing}). Used on the TaskExecutor's main thread only.
 */
final class TaskAdoption {
  private static final Logger LOG = LoggerFactory.getLogger(TaskAdoption.class);

  private final RunningTasks tasks;
  private final SlotTable slots;
  private final MainThreadExecutor mainThread;
  private final Duration wait;

  // the tasks kept for the new leader and not adopted yet, by execution
  private final Map<ExecutionId, RunningTask> awaiting = new LinkedHashMap<>();
  private MainThreadExecutor.Cancellable deadline = MainThreadExecutor.Cancellable.NONE;
  private String awaitedToken;

  /**
   * @param wait how long the tasks wait for a leader to adopt them after a new leader was published
   */
  TaskAdoption(RunningTasks tasks, SlotTable slots, MainThreadExecutor mainThread, Duration wait) {
    this.tasks = tasks;
    this.slots = slots;
    this.mainThread = mainThread;
    this.wait = wait;
  }

  /**
   * Leadership moved to {@code newToken}: every task still running (and not being cancelled) waits
   * for it to adopt it; the wait starts again for tasks a previous new leader did not adopt.
   */
  void leadershipMoved(String oldToken, String newToken) {
    mainThread.assertRunningInMainThread();
    for (RunningTask task : tasks.all()) {
      if (!tasks.isCancelling(task.handle().executionId())) {
        awaiting.put(task.handle().executionId(), task);
      }
    }
    awaitedToken = newToken;
    deadline.cancel();
    if (awaiting.isEmpty()) {
      return;
    }
    deadline = mainThread.schedule(this::waitEnded, wait);
    LOG.info(
        "Leadership moved: JobManager fencing token digest {} replaced by {}; keeping {} task(s)"
            + " running for the new leader to adopt within {} ms, then cancelling those it did"
            + " not",
        oldToken == null ? "none" : TokenDigest.of(oldToken),
        TokenDigest.of(newToken),
        awaiting.size(),
        wait.toMillis());
  }

  /** Whether {@code allocation} holds a task that waits for adoption. */
  boolean holdsAwaitedTask(AllocationId allocation) {
    return awaiting.values().stream()
        .anyMatch(task -> task.allocation().allocationId().equals(allocation));
  }

  /** The new leader (its token was checked) adopted the command's tasks. */
  CompletableFuture<Acknowledgement> adopt(AdoptTasksCommand command) {
    mainThread.assertRunningInMainThread();
    List<ExecutionId> unknown = new ArrayList<>();
    int adopted = 0;
    for (ExecutionId execution : command.executionIds()) {
      RunningTask task = awaiting.get(execution);
      if (task != null && task.jobId().equals(command.jobId())) {
        awaiting.remove(execution);
        adopted++;
      } else if (tasks.get(execution) == null
          || !tasks.get(execution).jobId().equals(command.jobId())) {
        unknown.add(execution);
      }
    }
    LOG.info(
        "The leader with fencing token digest {} adopted {} task(s) of job {}; {} still wait",
        awaitedToken == null ? "none" : TokenDigest.of(awaitedToken),
        adopted,
        command.jobId(),
        awaiting.size());
    if (awaiting.isEmpty()) {
      deadline.cancel();
    }
    if (!unknown.isEmpty()) {
      // the leader must not count on tasks that are gone: it restarts the job from its checkpoint
      return CompletableFuture.completedFuture(
          Acknowledgement.refused(
              "job "
                  + command.jobId()
                  + " has no running task here for execution(s) "
                  + unknown
                  + " (ended, or never here)"));
    }
    return CompletableFuture.completedFuture(Acknowledgement.accepted());
  }

  private void waitEnded() {
    mainThread.assertRunningInMainThread();
    if (awaiting.isEmpty()) {
      return;
    }
    LOG.warn(
        "No JobManager leader adopted {} task(s) within {} ms after the leader with fencing token"
            + " digest {} was published; cancelling them and freeing their slots",
        awaiting.size(),
        wait.toMillis(),
        awaitedToken == null ? "none" : TokenDigest.of(awaitedToken));
    Set<AllocationId> allocations = new HashSet<>();
    Set<AllocationId> stillUsed = new HashSet<>();
    for (RunningTask task : tasks.all()) {
      if (!awaiting.containsKey(task.handle().executionId())) {
        stillUsed.add(task.allocation().allocationId());
      }
    }
    for (RunningTask task : List.copyOf(awaiting.values())) {
      if (tasks.get(task.handle().executionId()) == task) {
        LOG.info(
            "Cancelling {} of job {} ({}): no leader adopted it",
            task.name(),
            task.jobId(),
            task.execution());
        tasks.cancel(task);
      }
      allocations.add(task.allocation().allocationId());
    }
    awaiting.clear();
    // a slot shared with an adopted task (slot sharing) stays the new leader's
    allocations.removeAll(stillUsed);
    for (AllocationId allocation : allocations) {
      slots.free(allocation).ifPresent(freed -> tasks.maybeReleaseJob(freed.jobId()));
    }
  }
}
