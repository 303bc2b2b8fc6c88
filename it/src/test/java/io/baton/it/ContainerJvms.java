package io.baton.it;

import java.util.List;

/**
 * The JVMs a mini YARN cluster's NodeManagers started in containers: descendants of the test's JVM
 * (the NodeManagers run in it) whose command runs a given main class, the launch scripts' shells
 * left out.
 */
final class ContainerJvms {
  static final String APPLICATION_MASTER = "io.baton.yarn.YarnSessionEntrypoint";
  static final String TASK_MANAGER = "io.baton.taskmanager.TaskManagerEntrypoint";

  private ContainerJvms() {}

  /** The live container JVMs running {@code mainClass}. */
  static List<ProcessHandle> running(String mainClass) {
    return ProcessHandle.current()
        .descendants()
        .filter(ProcessHandle::isAlive)
        .filter(p -> StartedWorkers.commandLine(p).contains(mainClass))
        .filter(p -> !StartedWorkers.commandLine(p).startsWith("bash"))
        .filter(p -> !StartedWorkers.commandLine(p).startsWith("/bin/bash"))
        .toList();
  }

  /** Waits (a minute at most) until no ApplicationMaster or TaskManager container JVM is left. */
  static void awaitNoneLeft() {
    Awaits.until(
        "no container JVM left",
        java.time.Duration.ofSeconds(60),
        () -> running(TASK_MANAGER).isEmpty() && running(APPLICATION_MASTER).isEmpty());
  }
}
