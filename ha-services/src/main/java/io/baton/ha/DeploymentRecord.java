package io.baton.ha;

import io.baton.common.ids.AllocationId;
import io.baton.common.ids.ExecutionId;
import io.baton.common.ids.JobId;
import io.baton.common.ids.TaskManagerId;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Where a job's current attempt runs, as the leader deployed it: a later leader compares it with
 * what the TaskManagers report and adopts the running tasks instead of restarting them when they
 * match.
 *
 * @param jobId the job
 * @param attempt the job's attempt (the execution graph's attempt number) these executions belong
 *     to
 * @param executions one per subtask of the attempt
 */
public record DeploymentRecord(JobId jobId, int attempt, List<RecordedExecution> executions) {

  public DeploymentRecord {
    Objects.requireNonNull(jobId, "jobId");
    if (attempt < 0) {
      throw new IllegalArgumentException("attempt " + attempt + " is negative");
    }
    executions = List.copyOf(executions);
    if (executions.isEmpty()) {
      throw new IllegalArgumentException("a deployment of job " + jobId + " names no execution");
    }
    Set<String> subtasks = new HashSet<>();
    Set<ExecutionId> ids = new HashSet<>();
    for (RecordedExecution execution : executions) {
      if (!subtasks.add(execution.vertexId() + "/" + execution.subtaskIndex())) {
        throw new IllegalArgumentException(
            "subtask " + execution.describeSubtask() + " is recorded twice");
      }
      if (!ids.add(execution.executionId())) {
        throw new IllegalArgumentException(
            "execution " + execution.executionId() + " is recorded twice");
      }
    }
  }

  /**
   * One subtask's execution: which slot of which TaskManager runs it, since when.
   *
   * @param vertexId the job vertex
   * @param subtaskIndex the subtask within the vertex
   * @param executionId the execution's id, as the TaskManager knows it
   * @param attempt the subtask's attempt number
   * @param taskManagerId the TaskManager that runs it
   * @param allocationId the slot allocation it runs in
   * @param slotIndex the slot's index on that TaskManager
   * @param startTime when the execution was deployed, epoch milliseconds
   */
  public record RecordedExecution(
      int vertexId,
      int subtaskIndex,
      ExecutionId executionId,
      int attempt,
      TaskManagerId taskManagerId,
      AllocationId allocationId,
      int slotIndex,
      long startTime) {

    public RecordedExecution {
      Objects.requireNonNull(executionId, "executionId");
      Objects.requireNonNull(taskManagerId, "taskManagerId");
      Objects.requireNonNull(allocationId, "allocationId");
      if (vertexId < 0 || subtaskIndex < 0 || attempt < 0 || slotIndex < 0 || startTime < 0) {
        throw new IllegalArgumentException(
            "execution "
                + executionId
                + " has a negative vertex, subtask, attempt, slot index or start time");
      }
    }

    /** {@code <vertex>/<subtask>}, for messages. */
    public String describeSubtask() {
      return vertexId + "/" + subtaskIndex;
    }
  }
}
