package io.baton.common.diagnostics;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JVM's memory, buffer pools, threads, CPU and garbage collectors at one moment, read from its
 * management beans: what Flink's dashboard shows on a JobManager's or a TaskManager's metrics tab.
 * A figure the JVM does not know is -1.
 */
public record JvmFigures(
    Memory heap,
    Memory nonHeap,
    long metaspaceUsed,
    long metaspaceMax,
    BufferPool direct,
    BufferPool mapped,
    int threads,
    double cpuLoad,
    List<GarbageCollector> garbageCollectors) {

  public JvmFigures {
    garbageCollectors = List.copyOf(garbageCollectors);
  }

  /** Used, committed and maximum bytes of one memory area. */
  public record Memory(long used, long committed, long max) {
    static Memory of(MemoryUsage usage) {
      return new Memory(usage.getUsed(), usage.getCommitted(), usage.getMax());
    }
  }

  /** Buffers of one pool ({@code direct} or {@code mapped}): how many, bytes used, capacity. */
  public record BufferPool(long count, long used, long capacity) {
    static final BufferPool UNKNOWN = new BufferPool(-1, -1, -1);
  }

  /**
   * One collector: collections so far and their total time in milliseconds.
   *
   * @param name the collector's name as Flink's metric ids write it (spaces as {@code _})
   */
  public record GarbageCollector(String name, long count, long timeMillis) {}

  /** This JVM's figures now. */
  public static JvmFigures ofThisJvm() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long metaspaceUsed = -1;
    long metaspaceMax = -1;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getName().equals("Metaspace")) {
        metaspaceUsed = pool.getUsage().getUsed();
        metaspaceMax = pool.getUsage().getMax();
      }
    }
    BufferPool direct = BufferPool.UNKNOWN;
    BufferPool mapped = BufferPool.UNKNOWN;
    for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      BufferPool figures =
          new BufferPool(pool.getCount(), pool.getMemoryUsed(), pool.getTotalCapacity());
      if (pool.getName().equals("direct")) {
        direct = figures;
      } else if (pool.getName().equals("mapped")) {
        mapped = figures;
      }
    }
    List<GarbageCollector> collectors = new ArrayList<>();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      collectors.add(
          new GarbageCollector(
              gc.getName().replace(' ', '_'), gc.getCollectionCount(), gc.getCollectionTime()));
    }
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    double cpuLoad =
        os instanceof com.sun.management.OperatingSystemMXBean process
            ? process.getProcessCpuLoad()
            : -1;
    return new JvmFigures(
        Memory.of(memory.getHeapMemoryUsage()),
        Memory.of(memory.getNonHeapMemoryUsage()),
        metaspaceUsed,
        metaspaceMax,
        direct,
        mapped,
        ManagementFactory.getThreadMXBean().getThreadCount(),
        cpuLoad,
        collectors);
  }

  /**
   * The figures under Flink's metric ids ({@code Status.JVM.*}), as its metrics calls list them.
   */
  public Map<String, Object> flinkMetrics() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Status.JVM.Memory.Heap.Used", heap.used());
    m.put("Status.JVM.Memory.Heap.Committed", heap.committed());
    m.put("Status.JVM.Memory.Heap.Max", heap.max());
    m.put("Status.JVM.Memory.NonHeap.Used", nonHeap.used());
    m.put("Status.JVM.Memory.NonHeap.Committed", nonHeap.committed());
    m.put("Status.JVM.Memory.NonHeap.Max", nonHeap.max());
    m.put("Status.JVM.Memory.Metaspace.Used", metaspaceUsed);
    m.put("Status.JVM.Memory.Metaspace.Max", metaspaceMax);
    m.put("Status.JVM.Memory.Direct.Count", direct.count());
    m.put("Status.JVM.Memory.Direct.MemoryUsed", direct.used());
    m.put("Status.JVM.Memory.Direct.TotalCapacity", direct.capacity());
    m.put("Status.JVM.Memory.Mapped.Count", mapped.count());
    m.put("Status.JVM.Memory.Mapped.MemoryUsed", mapped.used());
    m.put("Status.JVM.Memory.Mapped.TotalCapacity", mapped.capacity());
    m.put("Status.JVM.Threads.Count", threads);
    m.put("Status.JVM.CPU.Load", cpuLoad);
    for (GarbageCollector gc : garbageCollectors) {
      m.put("Status.JVM.GarbageCollector." + gc.name() + ".Count", gc.count());
      m.put("Status.JVM.GarbageCollector." + gc.name() + ".Time", gc.timeMillis());
    }
    return m;
  }
}
