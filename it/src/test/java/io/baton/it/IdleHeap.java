package io.baton.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The heap a cluster keeps when idle: each JVM's used heap ({@link ProcessReadings#usedHeapKiB})
 * right after a full GC ({@link ProcessReadings#fullGc}), read once the cluster is up and before a
 * job is submitted, the same way for both sides.
 *
 * @param totalMiB the sum over the cluster's JVMs
 * @param detail each JVM's part, e.g. {@code jobmanager 20.1, taskmanager-0 14.2}
 */
record IdleHeap(double totalMiB, String detail) {

  /** Collects and reads every JVM of {@code cluster}. */
  static IdleHeap read(List<JvmProcess> cluster) throws Exception {
    double total = 0;
    List<String> parts = new ArrayList<>();
    for (JvmProcess p : cluster) {
      ProcessReadings.fullGc(p.pid());
      double mib = ProcessReadings.usedHeapKiB(p.pid()) / 1024;
      total += mib;
      parts.add(String.format(Locale.ROOT, "%s %.1f", p.name(), mib));
    }
    return new IdleHeap(total, String.join(", ", parts));
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%.1f (%s)", totalMiB, detail);
  }
}
