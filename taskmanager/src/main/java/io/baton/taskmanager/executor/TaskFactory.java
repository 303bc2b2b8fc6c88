package io.baton.taskmanager.executor;

import io.baton.taskmanager.task.Task;
import io.baton.taskmanager.task.TaskEnvironment;

/** Creates the task for a submitted subtask; the TaskManager starts it. */
@FunctionalInterface
public interface TaskFactory {

  TaskHandle create(TaskEnvironment environment);

  /** Runs subtasks as {@link Task}s. */
  static TaskFactory standard() {
    return environment -> TaskHandle.of(new Task(environment));
  }
}
