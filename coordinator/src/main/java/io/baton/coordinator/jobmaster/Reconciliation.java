package io.baton.coordinator.jobmaster;

import io.baton.common.cluster.RunningExecution;
import io.baton.common.concurrent.MainThreadExecutor;
import io.baton.common.config.JobManagerOptions;
import io.baton.common.ids.ExecutionId;
import io.baton.common.ids.TaskManagerId;
import io.baton.ha.DeploymentRecord;
import io.baton.ha.DeploymentRecord.RecordedExecution;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Decides whether a new leader adopts a recovered job's running tasks: it compares what the
 * TaskManagers report with the job's deployment record, and decides once, on the job master's main
 * thread. Adopt when every recorded subtask is reported alive by the TaskManager, in the allocation
 * and slot, with the execution id and attempt the record names; restart from the latest completed
 * checkpoint as soon as a report contradicts the record or a task of the attempt ended, or when the
 * reports are not complete within {@code jobmanager.reconciliation.timeout}. Executions of the job
 * the record does not name are strangers: whoever runs them is told to cancel them, whatever the
 * decision.
 */
final class Reconciliation {

  /** The decision, told once. */
  sealed interface Outcome {}

  /** Every recorded subtask runs as recorded: take them over without restarting any. */
  record Adopt(DeploymentRecord record) implements Outcome {}

  /** Restart the job from its latest completed checkpoint, because of {@code reason}. */
  record Restart(String reason) implements Outcome {}

  /** An execution of the job that the record does not name, and who runs it. */
  record Stranger(TaskManagerId taskManagerId, RunningExecution execution) {}

  private final DeploymentRecord record;
  private final MainThreadExecutor mainThread;
  private final Duration timeout;
  private final Consumer<Outcome> decided;
  private final Consumer<Stranger> cancelStranger;
  private final Map<ExecutionId, RecordedExecution> recorded = new HashMap<>();
  private final Map<ExecutionId, RecordedExecution> missing = new HashMap<>();
  private MainThreadExecutor.Cancellable deadline = MainThreadExecutor.Cancellable.NONE;
  private Outcome outcome;

  /**
   * @param decided told the outcome once, on the main thread
   * @param cancelStranger told each execution of the job that the record does not name
   */
  Reconciliation(
      DeploymentRecord record,
      MainThreadExecutor mainThread,
      Duration timeout,
      Consumer<Outcome> decided,
      Consumer<Stranger> cancelStranger) {
    this.record = record;
    this.mainThread = mainThread;
    this.timeout = timeout;
    this.decided = decided;
    this.cancelStranger = cancelStranger;
    for (RecordedExecution execution : record.executions()) {
      recorded.put(execution.executionId(), execution);
      missing.put(execution.executionId(), execution);
    }
  }

  /** Starts waiting for the reports. */
  void start() {
    mainThread.assertRunningInMainThread();
    deadline = mainThread.schedule(this::timedOut, timeout);
  }

  /** Whether the decision was taken. */
  boolean decided() {
    return outcome != null;
  }

  /**
   * {@code taskManagerId} (re-)registered running {@code executions}: all it runs of the job (those
   * of other jobs must be left out by the caller). A recorded subtask on it that it does not report
   * has ended, or never ran there.
   */
  void reported(TaskManagerId taskManagerId, List<RunningExecution> executions) {
    mainThread.assertRunningInMainThread();
    Set<ExecutionId> reported = new HashSet<>();
    executions.forEach(e -> reported.add(e.executionId()));
    for (RunningExecution execution : executions) {
      RecordedExecution expected = recorded.get(execution.executionId());
      if (expected == null) {
        cancelStranger.accept(new Stranger(taskManagerId, execution));
        continue;
      }
      if (outcome != null) {
        continue;
      }
      String contradiction = contradiction(expected, taskManagerId, execution);
      if (contradiction != null) {
        decide(new Restart(contradiction));
        continue;
      }
      missing.remove(execution.executionId());
    }
    if (outcome == null) {
      sorted(missing.values()).stream()
          .filter(e -> e.taskManagerId().equals(taskManagerId))
          .filter(e -> !reported.contains(e.executionId()))
          .findFirst()
          .ifPresent(
              e ->
                  decide(
                      new Restart(
                          "subtask "
                              + e.describeSubtask()
                              + " (execution "
                              + e.executionId()
                              + ") is not among the tasks TaskManager "
                              + taskManagerId
                              + " reported running when it registered: it ended")));
    }
    if (outcome == null && missing.isEmpty()) {
      decide(new Adopt(record));
    }
  }

  /** A task of the recorded attempt ended (failed, finished or was cancelled) before adoption. */
  void ended(ExecutionId executionId, String state) {
    mainThread.assertRunningInMainThread();
    RecordedExecution execution = recorded.get(executionId);
    if (outcome == null && execution != null) {
      decide(
          new Restart(
              "subtask "
                  + execution.describeSubtask()
                  + " (execution "
                  + executionId
                  + ") is "
                  + state
                  + " on TaskManager "
                  + execution.taskManagerId()));
    }
  }

  /**
   * {@code taskManagerId} was lost (heartbeats, unreachable, its process ended) while the job
   * waits: recorded subtasks on it will never be reported, so the job restarts now rather than at
   * the timeout.
   */
  void taskManagerLost(TaskManagerId taskManagerId, String reason) {
    mainThread.assertRunningInMainThread();
    if (outcome != null) {
      return;
    }
    List<String> subtasks =
        sorted(recorded.values()).stream()
            .filter(e -> e.taskManagerId().equals(taskManagerId))
            .map(RecordedExecution::describeSubtask)
            .toList();
    if (!subtasks.isEmpty()) {
      decide(
          new Restart(
              "TaskManager "
                  + taskManagerId
                  + ", recorded to run subtask(s) "
                  + String.join(", ", subtasks)
                  + ", was lost before they were adopted: "
                  + reason));
    }
  }

  /** Gives up without a decision: the job ends or the leadership does. */
  void stop() {
    mainThread.assertRunningInMainThread();
    deadline.cancel();
    outcome = outcome == null ? new Restart("stopped") : outcome;
  }

  private static String contradiction(
      RecordedExecution expected, TaskManagerId reporter, RunningExecution reported) {
    if (!reporter.equals(expected.taskManagerId())) {
      return "execution "
          + reported.executionId()
          + " is reported by TaskManager "
          + reporter
          + ", recorded on "
          + expected.taskManagerId();
    }
    if (reported.attempt() != expected.attempt()
        || !reported.allocationId().equals(expected.allocationId())
        || reported.slotIndex() != expected.slotIndex()) {
      return "execution "
          + reported.executionId()
          + " is reported as attempt "
          + reported.attempt()
          + " in slot "
          + reported.slotIndex()
          + " ("
          + reported.allocationId()
          + "), recorded as attempt "
          + expected.attempt()
          + " in slot "
          + expected.slotIndex()
          + " ("
          + expected.allocationId()
          + ")";
    }
    return null;
  }

  private void timedOut() {
    if (outcome != null) {
      return;
    }
    List<String> subtasks = new ArrayList<>();
    sorted(missing.values())
        .forEach(e -> subtasks.add(e.describeSubtask() + " on TaskManager " + e.taskManagerId()));
    decide(
        new Restart(
            missing.size()
                + " of "
                + recorded.size()
                + " subtasks were not reported within "
                + JobManagerOptions.RECONCILIATION_TIMEOUT.key()
                + " ("
                + timeout.toMillis()
                + " ms): "
                + String.join(", ", subtasks)));
  }

  /** Vertex by vertex, subtask by subtask: the order a user reads them in. */
  private static List<RecordedExecution> sorted(Collection<RecordedExecution> executions) {
    return executions.stream()
        .sorted(
            Comparator.comparingInt(RecordedExecution::vertexId)
                .thenComparingInt(RecordedExecution::subtaskIndex))
        .toList();
  }

  private void decide(Outcome decision) {
    outcome = decision;
    deadline.cancel();
    decided.accept(decision);
  }
}
