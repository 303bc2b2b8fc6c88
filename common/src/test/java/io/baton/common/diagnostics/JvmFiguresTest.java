package io.baton.common.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class JvmFiguresTest {

  @Test
  void thisJvmsFiguresCarryFlinksMetricIdsWithEveryCollector() {
    JvmFigures figures = JvmFigures.ofThisJvm();
    assertThat(figures.heap().max()).isPositive();
    assertThat(figures.nonHeap().used()).isPositive();
    assertThat(figures.garbageCollectors()).isNotEmpty();
    assertThat(figures.garbageCollectors())
        .allSatisfy(gc -> assertThat(gc.name()).doesNotContain(" "));

    Map<String, Object> metrics = figures.flinkMetrics();
    assertThat(metrics)
        .containsKeys(
            "Status.JVM.Memory.Heap.Used",
            "Status.JVM.Memory.NonHeap.Committed",
            "Status.JVM.Memory.Metaspace.Used",
            "Status.JVM.Memory.Direct.MemoryUsed",
            "Status.JVM.Memory.Mapped.TotalCapacity");
    String gc = figures.garbageCollectors().get(0).name();
    assertThat(metrics)
        .containsKeys(
            "Status.JVM.GarbageCollector." + gc + ".Count",
            "Status.JVM.GarbageCollector." + gc + ".Time");
  }

  @Test
  void aThreadDumpNamesTheThreadThatTookIt() {
    assertThat(ThreadDump.ofThisJvm().threads())
        .anySatisfy(
            t -> {
              assertThat(t.threadName()).isEqualTo(Thread.currentThread().getName());
              assertThat(t.stringifiedThreadInfo()).contains("RUNNABLE");
            });
  }
}
