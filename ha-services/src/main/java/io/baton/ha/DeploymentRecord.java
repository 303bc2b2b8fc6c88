package io.baton.ha;

import io.baton.common.ids.AllocationId;
import io.baton.common.ids.ExecutionId;
import io.baton.common.ids.JobId;
import io.baton.common.ids.TaskManagerId;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a job's current attempt runs, as the leader deployed it: a later leader compares it with
 * what the TaskManagers report and adopts the running tasks instead of restarting them when they
 * match.
 *
 * @param jobId the job
 * @param attempt the job's attempt (the execution graph's attempt number) these executions belong
 *     to
 * @param executions one per subtask of the attempt
 * @param leader the digest of the fencing token of the leader that wrote the record (deployed the
 *     attempt or adopted it), as {@code GET /ha} shows digests; empty when not recorded
 * @param reconciliations how many times a new leader adopted the job's running tasks so far
 */
public record DeploymentRecord(
    JobId jobId,
    int attempt,
    List<RecordedExecution> executions,
    String leader,
    int reconciliations) {
  /** What {@link #leader} holds when no leader was recorded. */
  public static final String UNKNOWN_LEADER = "";

  // TokenDigest's form: the record is input, and the digest goes into logs and REST
  private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{12}");

  public DeploymentRecord {
    Objects.requireNonNull(jobId, "jobId");
    if (attempt < 0) {
      throw new IllegalArgumentException("attempt " + attempt + " is negative");
    }
    leader = leader == null ? UNKNOWN_LEADER : leader;
    if (!leader.isEmpty() && !DIGEST.matcher(leader).matches()) {
      throw new IllegalArgumentException(
          "the leader is not a token digest (12 lower-case hex digits)");
    }
    if (reconciliations < 0) {
      throw new IllegalArgumentException("reconciliations " + reconciliations + " is negative");
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

  /** A record of a deployment no leader signed, never adopted before. */
  public DeploymentRecord(JobId jobId, int attempt, List<RecordedExecution> executions) {
    this(jobId, attempt, executions, UNKNOWN_LEADER, 0);
  }

  /** The same deployment, written by the leader {@code leader} after {@code reconciliations}. */
  public DeploymentRecord writtenBy(String leader, int reconciliations) {
    return new DeploymentRecord(jobId, attempt, executions, leader, reconciliations);
  }

  /** {@code leader <digest>}, or {@code an unrecorded leader}: for messages. */
  public String describeLeader() {
    return leader.isEmpty() ? "an unrecorded leader" : "leader " + leader;
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
