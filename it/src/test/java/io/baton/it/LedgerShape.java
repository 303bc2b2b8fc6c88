package io.baton.it;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The cluster shapes the Ledger comparisons run in: how many processes each side has and where its
 * records travel. One shape drives both sides of a pair, so Baton and Flink are always started from
 * the same description. {@code -Dbenchmark.shapes=local-1tm,session,default} picks shapes (all by
 * default, in that order).
 */
enum LedgerShape {
  /** Baton's usual cluster against Flink's local cluster: the comparison as it was first made. */
  DEFAULT("default", 2, 1, FlinkCluster.LOCAL, 1, 2),
  /** One TaskManager of 2 slots on both sides: records never cross the network. */
  LOCAL_1TM("local-1tm", 1, 2, FlinkCluster.LOCAL, 1, 2),
  /**
   * A JobManager and 2 TaskManagers of 1 slot, each a JVM, on both sides: records cross sockets.
   */
  SESSION("session", 2, 1, FlinkCluster.SESSION, 2, 1);

  /** How Flink's side is started. */
  enum FlinkCluster {
    /** A MiniCluster inside the one JVM that runs the job's main(). */
    LOCAL,
    /** A standalone JobManager JVM and TaskManager JVMs ({@link FlinkSessionCluster}). */
    SESSION
  }

  private final String id;
  private final int batonTaskManagers;
  private final int batonSlots;
  private final FlinkCluster flinkCluster;
  private final int flinkTaskManagers;
  private final int flinkSlots;

  LedgerShape(
      String id,
      int batonTaskManagers,
      int batonSlots,
      FlinkCluster flinkCluster,
      int flinkTaskManagers,
      int flinkSlots) {
    this.id = id;
    this.batonTaskManagers = batonTaskManagers;
    this.batonSlots = batonSlots;
    this.flinkCluster = flinkCluster;
    this.flinkTaskManagers = flinkTaskManagers;
    this.flinkSlots = flinkSlots;
  }

  /** The shapes {@code -Dbenchmark.shapes} names, in the order named; all when it is unset. */
  static List<LedgerShape> fromSystemProperties() {
    String names = System.getProperty("benchmark.shapes", "").trim();
    if (names.isEmpty()) {
      return List.of(LOCAL_1TM, SESSION, DEFAULT);
    }
    List<LedgerShape> shapes = new ArrayList<>();
    for (String name : names.split(",")) {
      shapes.add(byId(name.trim()));
    }
    return List.copyOf(shapes);
  }

  static LedgerShape byId(String id) {
    return Arrays.stream(values())
        .filter(s -> s.id.equals(id))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "benchmark.shapes: no shape '"
                        + id
                        + "'; known: "
                        + Arrays.stream(values()).map(LedgerShape::id).toList()));
  }

  String id() {
    return id;
  }

  int batonTaskManagers() {
    return batonTaskManagers;
  }

  int batonSlots() {
    return batonSlots;
  }

  FlinkCluster flinkCluster() {
    return flinkCluster;
  }

  int flinkTaskManagers() {
    return flinkTaskManagers;
  }

  int flinkSlots() {
    return flinkSlots;
  }

  /** Baton's JVMs: the JobManager and the TaskManagers. */
  int batonJvms() {
    return 1 + batonTaskManagers;
  }

  /** Flink's JVMs: one for a local cluster, else the JobManager and the TaskManagers. */
  int flinkJvms() {
    return flinkCluster == FlinkCluster.LOCAL ? 1 : 1 + flinkTaskManagers;
  }

  /** What the shape is, for the report's benchmark column. */
  String label() {
    return String.format(
        Locale.ROOT,
        "shape %s: Baton JM + %d TM x %d slot(s) in %d JVMs, Flink %s",
        id,
        batonTaskManagers,
        batonSlots,
        batonJvms(),
        flinkCluster == FlinkCluster.LOCAL
            ? "local cluster (1 TM x 2 slots) in 1 JVM"
            : String.format(
                Locale.ROOT,
                "session cluster JM + %d TM x %d slot(s) in %d JVMs",
                flinkTaskManagers,
                flinkSlots,
                flinkJvms()));
  }
}
