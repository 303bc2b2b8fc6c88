package io.baton.coordinator.resourcemanager;

/** A TaskManager stopped heartbeating (or registered anew) and its slots are gone. */
public class TaskManagerLostException extends Exception {
  public TaskManagerLostException(String message) {
    super(message);
  }
}
