package io.baton.coordinator.resourcemanager;

import io.baton.common.cluster.RunningExecution;
import io.baton.common.concurrent.MainThreadExecutor;
import io.baton.common.ids.JobId;
import io.baton.common.ids.TaskManagerId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands on what TaskManagers report still running when they register with a new leader
 * (jobmanager.failover.reconcile): to the job master that reconciles the job, or kept until it
 * listens, since TaskManagers often register before the new leader has recovered its jobs. Each
 * reported task comes with the slot the resource manager marked as the job's for it. Lives on the
 * resource manager's main thread; job masters reach it through {@link #listen}.
 */
public final class ReportedExecutions {
  private static final Logger LOG = LoggerFactory.getLogger(ReportedExecutions.class);

  /** A task a TaskManager reported running, in the slot now marked as its job's. */
  public record Report(
      TaskManagerId taskManagerId, RunningExecution execution, AllocatedSlot slot) {}

  /** What a job master that reconciles a job hears, on the resource manager's thread. */
  @FunctionalInterface
  public interface Listener {
    /** Tasks of the job that a (re-)registering TaskManager reports running. */
    void reported(List<Report> reports);

    /**
     * A registered TaskManager was lost (heartbeats, unreachable, its process ended): whatever it
     * ran is gone, whether it reported it yet or not.
     */
    default void taskManagerLost(TaskManagerId taskManagerId, String reason) {}
  }

  private final MainThreadExecutor mainThread;
  private final Map<JobId, List<Report>> kept = new HashMap<>();
  private final Map<JobId, Listener> listeners = new HashMap<>();

  ReportedExecutions(MainThreadExecutor mainThread) {
    this.mainThread = mainThread;
  }

  /**
   * Tells {@code listener} (on the resource manager's thread) what was reported of {@code jobId} so
   * far and each later report, until {@link #stopListening}.
   */
  public void listen(JobId jobId, Listener listener) {
    mainThread.execute(
        () -> {
          listeners.put(jobId, listener);
          List<Report> earlier = kept.remove(jobId);
          if (earlier != null) {
            listener.reported(List.copyOf(earlier));
          }
        });
  }

  /** No more reports of {@code jobId} are wanted. */
  public void stopListening(JobId jobId) {
    mainThread.execute(() -> listeners.remove(jobId));
  }

  /**
   * A TaskManager (re-)registered running these tasks: marks their slots as their jobs' and hands
   * the tasks on. What it reported under an earlier registration is forgotten. Main thread.
   */
  void registered(RegisteredTaskManager registration, List<RunningExecution> running) {
    mainThread.assertRunningInMainThread();
    forget(registration.id);
    List<Report> reports = new ArrayList<>();
    for (RunningExecution execution : running) {
      Optional<AllocatedSlot> slot =
          registration.reserve(execution.jobId(), execution.allocationId(), execution.slotIndex());
      if (slot.isEmpty()) {
        LOG.warn(
            "TaskManager {} reports execution {} of job {} in slot {} ({}), which it does not"
                + " have free for that allocation; the task is not handed on and its TaskManager"
                + " cancels it when no leader adopts it",
            registration.id,
            execution.executionId(),
            execution.jobId(),
            execution.slotIndex(),
            execution.allocationId());
        continue;
      }
      reports.add(new Report(registration.id, execution, slot.get()));
    }
    if (!reports.isEmpty()) {
      LOG.info(
          "TaskManager {} reports {} task(s) still running; their slots are kept for their jobs",
          registration.id,
          reports.size());
    }
    Map<JobId, List<Report>> byJob = new HashMap<>();
    for (Report report : reports) {
      byJob.computeIfAbsent(report.execution().jobId(), j -> new ArrayList<>()).add(report);
    }
    byJob.forEach(
        (jobId, jobReports) -> {
          Listener listener = listeners.get(jobId);
          if (listener != null) {
            listener.reported(List.copyOf(jobReports));
          } else {
            kept.computeIfAbsent(jobId, j -> new ArrayList<>()).addAll(jobReports);
          }
        });
  }

  /**
   * A registered TaskManager was lost: its reports are forgotten and every listening job is told,
   * so one that waits for tasks on it decides now instead of at its timeout. Main thread.
   */
  void lost(TaskManagerId taskManagerId, String reason) {
    mainThread.assertRunningInMainThread();
    forget(taskManagerId);
    List.copyOf(listeners.values()).forEach(l -> l.taskManagerLost(taskManagerId, reason));
  }

  /** Forgets the reports of a TaskManager that is gone or registered again. Main thread. */
  private void forget(TaskManagerId taskManagerId) {
    mainThread.assertRunningInMainThread();
    kept.values().forEach(list -> list.removeIf(r -> r.taskManagerId().equals(taskManagerId)));
    kept.values().removeIf(List::isEmpty);
  }
}
