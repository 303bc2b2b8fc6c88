package io.baton.it;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The peak heap of a cluster: each JVM's largest heap-before-GC from its {@code -Xlog:gc} file
 * ({@link GcLog#peakHeapMiB}), summed over the cluster's JVMs, the same way for both sides.
 */
final class PeakHeaps {
  private PeakHeaps() {}

  /** The sum over {@code jvms}; a JVM that never collected counts 0. */
  static long sum(List<JvmProcess> jvms, Function<JvmProcess, Path> gcLog) throws IOException {
    long sum = 0;
    for (JvmProcess p : jvms) {
      sum += Math.max(0, GcLog.peakHeapMiB(gcLog.apply(p)));
    }
    return sum;
  }

  /** The sum and each JVM's part, e.g. {@code 310 (jobmanager 40, taskmanager-0 270)}. */
  static String detail(List<JvmProcess> jvms, Function<JvmProcess, Path> gcLog) throws IOException {
    List<String> parts = new ArrayList<>();
    for (JvmProcess p : jvms) {
      parts.add(p.name() + " " + GcLog.peakHeapMiB(gcLog.apply(p)));
    }
    return sum(jvms, gcLog) + " (" + String.join(", ", parts) + ")";
  }
}
