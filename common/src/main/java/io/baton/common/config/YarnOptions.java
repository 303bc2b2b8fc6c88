package io.baton.common.config;

import static io.baton.common.config.ConfigOption.intOption;
import static io.baton.common.config.ConfigOption.stringOption;

import java.util.Locale;

/**
 * A YARN session: where the client submits it, how large its ApplicationMaster (the JobManager) and
 * TaskManager containers are. The keys are Flink's, so a Flink user's settings carry over.
 */
public final class YarnOptions {
  private YarnOptions() {}

  private static final OptionRange<String> MEMORY_SIZE =
      OptionRange.of(s -> parseMemoryMb(s) > 0, "a size such as 1728m or 2g");

  public static final ConfigOption<String> APPLICATION_QUEUE =
      stringOption("yarn.application.queue", "default", "YARN queue a session is submitted to.");

  public static final ConfigOption<String> APPLICATION_NAME =
      stringOption("yarn.application.name", "Baton session", "YARN application name of a session.");

  public static final ConfigOption<String> APPLICATION_ID =
      stringOption(
          "yarn.application.id",
          null,
          "YARN application id of the session bin/baton -t yarn-session talks to.");

  public static final ConfigOption<Integer> APPLICATION_ATTEMPTS =
      intOption(
              "yarn.application-attempts",
              null,
              "How many ApplicationMaster attempts YARN makes before the session fails; unset: 2"
                  + " with high-availability.type zookeeper (a new attempt recovers the jobs), else"
                  + " 1. The cluster's yarn.resourcemanager.am.max-attempts caps it.")
          .atLeast(1);

  public static final ConfigOption<Integer> CONTAINER_VCORES =
      intOption(
              "yarn.containers.vcores",
              1,
              "Virtual cores of each TaskManager container YARN is asked for.")
          .atLeast(1);

  public static final ConfigOption<String> TASK_MANAGER_PROCESS_SIZE =
      stringOption(
              "taskmanager.memory.process.size",
              "1728m",
              "Memory of each TaskManager container on YARN (its JVM heap gets 3/4 of it).")
          .checkedBy(MEMORY_SIZE);

  public static final ConfigOption<String> JOB_MANAGER_PROCESS_SIZE =
      stringOption(
              "jobmanager.memory.process.size",
              "1600m",
              "Memory of the ApplicationMaster container that runs the JobManager on YARN (its JVM"
                  + " heap gets 3/4 of it).")
          .checkedBy(MEMORY_SIZE);

  /**
   * The ApplicationMaster attempts to ask YARN for: {@code yarn.application-attempts} when set,
   * else 2 with ZooKeeper high availability (one more attempt recovers the jobs from ZooKeeper and
   * storage) and 1 without (a second attempt would start empty).
   */
  public static int applicationAttempts(Configuration config) {
    if (config.contains(APPLICATION_ATTEMPTS)) {
      return config.get(APPLICATION_ATTEMPTS);
    }
    return config.get(HighAvailabilityOptions.TYPE) == HighAvailabilityOptions.Type.ZOOKEEPER
        ? 2
        : 1;
  }

  /**
   * Megabytes of a size such as {@code 1728m}, {@code 2g}, {@code 512 mb} or a bare number of
   * bytes; -1 when it is none.
   */
  public static int parseMemoryMb(String text) {
    if (text == null) {
      return -1;
    }
    String s = text.trim().toLowerCase(Locale.ROOT).replace(" ", "");
    int unitAt = 0;
    while (unitAt < s.length() && Character.isDigit(s.charAt(unitAt))) {
      unitAt++;
    }
    if (unitAt == 0) {
      return -1;
    }
    long value;
    try {
      value = Long.parseLong(s.substring(0, unitAt));
    } catch (NumberFormatException e) {
      return -1;
    }
    long mb =
        switch (s.substring(unitAt)) {
          case "", "b", "bytes" -> value >> 20;
          case "k", "kb" -> value >> 10;
          case "m", "mb" -> value;
          case "g", "gb" -> value << 10;
          case "t", "tb" -> value << 20;
          default -> -1;
        };
    return mb > Integer.MAX_VALUE ? -1 : (int) mb;
  }
}
