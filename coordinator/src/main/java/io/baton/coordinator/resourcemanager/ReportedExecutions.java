package io.baton.coordinator.resourcemanager;

import io.baton.common.cluster.RunningExecution;
import io.baton.common.concurrent.MainThreadExecutor;
import io.baton.common.ids.JobId;
import io.baton.common.ids.TaskManagerId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands on what TaskManagers report still running when they register with a new leader
 * (jobmanager.failover.reconcile): to the job masters that reconcile their jobs, each registration
 * whole (what a TaskManager does not report it does not run), and kept for job masters that listen
 * later, since TaskManagers often register before the new leader has recovered its jobs. Each
 * reported task comes with the slot the resource manager marked as the job's for it; a lost
 * TaskManager is told too. Lives on the resource manager's main thread; job masters reach it
 * through {@link #listen}.
 */
public final class ReportedExecutions {
  private static final Logger LOG = LoggerFactory.getLogger(ReportedExecutions.class);

  /** A task a TaskManager reported running, in the slot now marked as its job's. */
  public record Report(
      TaskManagerId taskManagerId, RunningExecution execution, AllocatedSlot slot) {}

  /** What a job master that reconciles a job hears, on the resource manager's thread. */
  public interface Listener {
    /**
     * {@code taskManagerId} (re-)registered running {@code reports}: every task of the job it runs,
     * possibly none. A task it ran for the job before and does not report any more has ended.
     */
    void reported(TaskManagerId taskManagerId, List<Report> reports);

    /**
     * A registered TaskManager was lost (heartbeats, unreachable, its process ended): whatever it
     * ran is gone, whether it reported it yet or not.
     */
    void taskManagerLost(TaskManagerId taskManagerId, String reason);
  }

  private final MainThreadExecutor mainThread;
  // what each TaskManager registered now reported at its registration, every job's
  private final Map<TaskManagerId, List<Report>> registered = new LinkedHashMap<>();
  private final Map<JobId, Listener> listeners = new HashMap<>();

  ReportedExecutions(MainThreadExecutor mainThread) {
    this.mainThread = mainThread;
  }

  /**
   * Tells {@code listener} (on the resource manager's thread) what each TaskManager registered now
   * reported of {@code jobId}, then each later registration and loss, until {@link #stopListening}.
   */
  public void listen(JobId jobId, Listener listener) {
    mainThread.execute(
        () -> {
          listeners.put(jobId, listener);
          registered.forEach((tm, reports) -> listener.reported(tm, ofJob(reports, jobId)));
        });
  }

  /** No more reports of {@code jobId} are wanted. */
  public void stopListening(JobId jobId) {
    mainThread.execute(() -> listeners.remove(jobId));
  }

  /**
   * A TaskManager (re-)registered running these tasks: marks their slots as their jobs' and tells
   * every listening job what it runs of it. What it reported under an earlier registration is
   * forgotten. Main thread.
   */
  void registered(RegisteredTaskManager registration, List<RunningExecution> running) {
    mainThread.assertRunningInMainThread();
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
    registered.put(registration.id, List.copyOf(reports));
    List.copyOf(listeners.entrySet())
        .forEach(e -> e.getValue().reported(registration.id, ofJob(reports, e.getKey())));
  }

  /**
   * A registered TaskManager was lost: its reports are forgotten and every listening job is told,
   * so one that waits for tasks on it decides now instead of at its timeout. Main thread.
   */
  void lost(TaskManagerId taskManagerId, String reason) {
    mainThread.assertRunningInMainThread();
    registered.remove(taskManagerId);
    List.copyOf(listeners.values()).forEach(l -> l.taskManagerLost(taskManagerId, reason));
  }

  private static List<Report> ofJob(List<Report> reports, JobId jobId) {
    return reports.stream().filter(r -> r.execution().jobId().equals(jobId)).toList();
  }
}
