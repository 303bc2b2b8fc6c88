package io.baton.common.config;

import static io.baton.common.config.ConfigOption.durationOption;
import static io.baton.common.config.ConfigOption.enumOption;
import static io.baton.common.config.ConfigOption.intOption;
import static io.baton.common.config.ConfigOption.stringOption;

import java.time.Duration;

/**
 * How the JobManager's resource manager gets its TaskManagers: registered by hand (standalone) or
 * started, replaced and released by itself through a worker driver.
 */
public final class ResourceManagerOptions {
  private ResourceManagerOptions() {}

  /** Who starts TaskManagers. */
  public enum Driver {
    /** TaskManagers are started by hand (bin/taskmanager.sh) and register themselves. */
    STANDALONE,
    /** The JobManager starts TaskManager JVMs on its own host. */
    PROCESS
  }

  public static final ConfigOption<Driver> DRIVER =
      enumOption(
          "resourcemanager.driver",
          Driver.class,
          Driver.STANDALONE,
          "standalone: TaskManagers are started by hand and register themselves; nothing is"
              + " started or replaced. process: the JobManager starts TaskManager JVMs on its own"
              + " host when jobs need slots, replaces lost ones and stops idle ones.");

  public static final ConfigOption<Duration> TASK_MANAGER_TIMEOUT =
      durationOption(
              "resourcemanager.taskmanager-timeout",
              Duration.ofSeconds(30),
              "How long a started TaskManager may hold no slot before it is stopped (active"
                  + " drivers). Long enough to keep workers across a job's restart.")
          .positive();

  public static final ConfigOption<Duration> START_WORKER_RETRY_INTERVAL =
      durationOption(
              "resourcemanager.start-worker-retry-interval",
              Duration.ofSeconds(3),
              "Pause after a TaskManager failed to start before the next one is started, so a"
                  + " broken setup costs one attempt and one log line per interval.")
          .positive();

  public static final ConfigOption<Duration> WORKER_REGISTRATION_TIMEOUT =
      durationOption(
              "resourcemanager.taskmanager-registration.timeout",
              Duration.ofMinutes(5),
              "How long a started TaskManager may take to register before it counts as failed to"
                  + " start and is stopped.")
          .positive();

  public static final ConfigOption<Integer> MAX_SLOTS =
      intOption(
              "slotmanager.number-of-slots.max",
              Integer.MAX_VALUE,
              "Most slots of all TaskManagers together; active drivers start no TaskManager"
                  + " beyond it, so a runaway demand cannot take the whole host or cluster.")
          .atLeast(1);

  public static final ConfigOption<Integer> REDUNDANT_TASK_MANAGERS =
      intOption(
              "slotmanager.redundant-taskmanager-num",
              0,
              "Spare TaskManagers with free slots that active drivers keep started, so a lost"
                  + " TaskManager's tasks restart without waiting for a new one.")
          .between(0, 1000);

  public static final ConfigOption<String> TASK_MANAGER_JVM_OPTIONS =
      stringOption(
          "env.java.opts.taskmanager",
          null,
          "JVM options (space-separated) of the TaskManagers the process driver starts, e.g."
              + " -Xmx1g.");
}
