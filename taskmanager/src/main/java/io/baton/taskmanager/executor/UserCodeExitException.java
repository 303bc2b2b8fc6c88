package io.baton.taskmanager.executor;

/** User code of a task called System.exit: the TaskManager's JVM is exiting under it. */
final class UserCodeExitException extends RuntimeException {
  UserCodeExitException(String message) {
    // the shutdown hook noticed; its stack says nothing about the user code that exited
    super(message, null, false, false);
  }
}
