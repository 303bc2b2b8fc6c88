package io.baton.taskmanager;

/** The TaskManager cannot start or cannot go on; the message is one line saying why. */
public final class TaskManagerStartupException extends RuntimeException {
  public TaskManagerStartupException(String message) {
    super(message);
  }

  public TaskManagerStartupException(String message, Throwable cause) {
    super(message, cause);
  }
}
