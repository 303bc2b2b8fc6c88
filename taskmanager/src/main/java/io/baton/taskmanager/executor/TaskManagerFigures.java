package io.baton.taskmanager.executor;

import java.util.List;

/**
 * What a TaskManager's {@code /metrics} shows of its own state, taken on its main thread at one
 * moment.
 *
 * @param slots the slots it offers
 * @param slotsInUse those allocated to a job
 * @param registered whether it is registered with a JobManager right now
 * @param tasks its running tasks' I/O figures
 */
public record TaskManagerFigures(
    int slots, int slotsInUse, boolean registered, List<TaskFigures> tasks) {

  public TaskManagerFigures {
    tasks = List.copyOf(tasks);
  }

  /**
   * One running task's I/O, counted since the task started here.
   *
   * @param taskName the subtask as logged, e.g. {@code Map (2/4)}
   */
  public record TaskFigures(
      String jobId,
      String taskName,
      long recordsIn,
      long recordsOut,
      long bytesIn,
      long bytesOut) {}
}
