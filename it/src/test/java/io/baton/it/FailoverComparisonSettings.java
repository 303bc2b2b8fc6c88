package io.baton.it;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The settings both sides of {@link FlinkFailoverBenchmark} run with, from {@code
 * -Dbenchmark.failover.*} where they can be changed.
 */
final class FailoverComparisonSettings {
  private FailoverComparisonSettings() {}

  static final int RUNS = Integer.getInteger("benchmark.failover.runs", 5);

  /**
   * The ZooKeeper session timeouts the comparison runs at, one after the other: the shipped 60 s
   * (where Baton's leader probe matters most) and 6 s ({@code
   * -Dbenchmark.failover.session-timeouts-ms}, comma-separated; {@code
   * -Dbenchmark.failover.session-timeout-ms} runs one alone).
   */
  static final List<Duration> SESSION_TIMEOUTS =
      Arrays.stream(
              System.getProperty(
                      "benchmark.failover.session-timeouts-ms",
                      System.getProperty("benchmark.failover.session-timeout-ms", "60000,6000"))
                  .split(","))
          .map(ms -> Duration.ofMillis(Long.parseLong(ms.trim())))
          .toList();

  static final int CHECKPOINT_INTERVAL_MS =
      Integer.getInteger("benchmark.failover.checkpoint-interval-ms", 1_000);
  static final int RATE = Integer.getInteger("benchmark.failover.rate", 2_000);
  // the job only advances while it runs: ~30 s of it per failover cycle, and some to spare
  static final long EVENTS = Long.getLong("benchmark.failover.events", RATE * (RUNS * 30L + 30));
  static final int KEYS = 97;
  static final int PARALLELISM = 2;
  static final int SLOTS = 2;
  static final Duration POLL = Duration.ofMillis(20);
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(1);
  // what HaCluster starts Baton's JobManagers and TaskManagers with; Flink's get the same
  static final List<String> JOB_MANAGER_JVM =
      List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
  static final List<String> TASK_MANAGER_JVM = List.of("-Xmx256m", "-XX:+UseSerialGC");
  static final List<String> TERMINAL = List.of("FINISHED", "FAILED", "CANCELED");
}
