package io.baton.coordinator.status;

import io.baton.common.execution.ExecutionState;
import io.baton.common.ids.JobId;
import java.util.List;
import java.util.Map;

/**
 * What the JobManager knows about one job, for REST and the CLI.
 *
 * @param startTime epoch millis of submission
 * @param endTime epoch millis of reaching a terminal state, or -1
 * @param duration millis from start to end, or to now while running
 * @param taskCounts subtasks per state, every state present (0 where none)
 * @param failureCause root cause when FAILED (or of the latest restart), else null
 * @param restarts how many times the job restarted
 * @param recoveries how many times a new leader recovered the job
 * @param restoredFrom the checkpoint the latest recovery restored from; null when none
 * @param reconciliations how many times a new leader adopted the job's running tasks
 * @param events what this leader's recovery of the job did (adopted or not, and why), oldest first
 */
public record JobDetails(
    JobId id,
    String name,
    JobStatus status,
    long startTime,
    long endTime,
    long duration,
    Map<ExecutionState, Integer> taskCounts,
    List<VertexDetails> vertices,
    String failureCause,
    int restarts,
    long lastModification,
    int recoveries,
    RestoredFrom restoredFrom,
    int reconciliations,
    List<JobEvent> events) {

  public JobDetails {
    events = List.copyOf(events);
  }

  /** A job never recovered by a new leader. */
  public JobDetails(
      JobId id,
      String name,
      JobStatus status,
      long startTime,
      long endTime,
      long duration,
      Map<ExecutionState, Integer> taskCounts,
      List<VertexDetails> vertices,
      String failureCause,
      int restarts,
      long lastModification) {
    this(
        id,
        name,
        status,
        startTime,
        endTime,
        duration,
        taskCounts,
        vertices,
        failureCause,
        restarts,
        lastModification,
        0,
        null,
        0,
        List.of());
  }

  /**
   * These details with what new leaders did to the job: how many recovered it, what the latest
   * recovery restored from, how many adopted its running tasks, and this leader's events.
   */
  public JobDetails withRecoveries(
      int recoveries, RestoredFrom restoredFrom, int reconciliations, List<JobEvent> events) {
    return new JobDetails(
        id,
        name,
        status,
        startTime,
        endTime,
        duration,
        taskCounts,
        vertices,
        failureCause,
        restarts,
        lastModification,
        recoveries,
        restoredFrom,
        reconciliations,
        events);
  }

  /** The checkpoint (or savepoint) a recovered job restored from. */
  public record RestoredFrom(long checkpointId, String path) {}
}
