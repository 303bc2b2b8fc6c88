package io.baton.taskmanager.operators;

import io.baton.api.fs.FileSystemAccess;
import io.baton.api.functions.TaskInfo;

/**
 * Which parallel instance of which task runs, as deployed by the JobManager.
 *
 * @param jobId the job's id
 * @param taskName the vertex's name
 * @param subtaskIndex 0-based
 * @param parallelism the vertex's parallelism
 * @param maxParallelism the vertex's number of key groups
 * @param attemptNumber 0 on the first run, one more on each restart
 * @param fileSystem the files connectors may use (on a TaskManager: every scheme of its storage)
 */
public record SubtaskInfo(
    String jobId,
    String taskName,
    int subtaskIndex,
    int parallelism,
    int maxParallelism,
    int attemptNumber,
    FileSystemAccess fileSystem)
    implements TaskInfo {

  public SubtaskInfo {
    if (fileSystem == null) {
      fileSystem = FileSystemAccess.local();
    }
  }

  /** A subtask whose connectors see local files only. */
  public SubtaskInfo(
      String jobId,
      String taskName,
      int subtaskIndex,
      int parallelism,
      int maxParallelism,
      int attemptNumber) {
    this(
        jobId,
        taskName,
        subtaskIndex,
        parallelism,
        maxParallelism,
        attemptNumber,
        FileSystemAccess.local());
  }

  /** The name logs and thread names use: {@code "<task> (<subtask+1>/<parallelism>)#<attempt>"}. */
  public String taskNameWithSubtask() {
    return taskName + " (" + (subtaskIndex + 1) + "/" + parallelism + ")#" + attemptNumber;
  }
}
