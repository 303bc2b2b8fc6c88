package io.baton.coordinator.dispatcher;

import io.baton.common.ids.JobId;
import io.baton.common.rpc.TaskState;
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
 */
public record JobDetails(
    JobId id,
    String name,
    JobStatus status,
    long startTime,
    long endTime,
    long duration,
    Map<TaskState, Integer> taskCounts,
    List<VertexDetails> vertices,
    String failureCause,
    int restarts,
    long lastModification) {}
