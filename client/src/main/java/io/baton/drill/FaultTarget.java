package io.baton.drill;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a drill's faults hit, as {@code --target} names it. */
public enum FaultTarget {
  /** The leading JobManager. */
  LEADER,
  /** A JobManager that does not lead. */
  STANDBY,
  /** One TaskManager process (one running tasks of the drill's job when there is one). */
  TASKMANAGER,
  /** The embedded ZooKeeper server of {@code bin/zookeeper.sh}. */
  ZOOKEEPER,
  /** A seeded random choice among the others that the cluster has. */
  RANDOM;

  /** The name on the command line. */
  public String optionName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The target {@code --target value} names; one line naming the choices otherwise. */
  static FaultTarget parse(String value) {
    for (FaultTarget t : values()) {
      if (t.optionName().equals(value.trim().toLowerCase(Locale.ROOT))) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "--target takes "
            + Arrays.stream(values()).map(FaultTarget::optionName).collect(Collectors.joining("|"))
            + ", not '"
            + value
            + "'");
  }
}
