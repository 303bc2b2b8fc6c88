package io.baton.coordinator.scheduler;

/** A task could not be handed to its TaskManager. */
public class TaskDeploymentException extends Exception {
  public TaskDeploymentException(String message, Throwable cause) {
    super(message, cause);
  }
}
