package io.baton.coordinator.executiongraph;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.common.execution.TaskIoCounters;
import io.baton.coordinator.JobManagerTestCluster;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The attempt's sums follow every report as a pass over the current executions would sum them. */
class AttemptIoTotalsTest {
  private ExecutionGraph graph;

  private void assertMatchesRecount() {
    List<Execution> current = graph.currentExecutions();
    AttemptIoTotals totals = graph.ioTotals();
    assertThat(totals.recordsIn())
        .isEqualTo(current.stream().mapToLong(e -> e.metrics().recordsIn()).sum());
    assertThat(totals.recordsOut())
        .isEqualTo(current.stream().mapToLong(e -> e.metrics().recordsOut()).sum());
    assertThat(totals.bytesIn())
        .isEqualTo(current.stream().mapToLong(e -> e.metrics().bytesIn()).sum());
    assertThat(totals.bytesOut())
        .isEqualTo(current.stream().mapToLong(e -> e.metrics().bytesOut()).sum());
  }

  @Test
  void sumsFollowReportsAndStartAfreshWithEachAttempt() throws Exception {
    graph = new ExecutionGraph(JobManagerTestCluster.wordCount(4, Map.of()), (from, to) -> {});
    Random random = new Random(7);
    graph.newAttempt(0);
    List<Execution> earlier = graph.currentExecutions();
    for (int step = 0; step < 2_000; step++) {
      if (step % 500 == 499) {
        earlier = graph.currentExecutions();
        graph.newAttempt(step);
        assertThat(graph.ioTotals().recordsOut()).as("a new attempt starts at zero").isZero();
      }
      List<Execution> current = graph.currentExecutions();
      Execution e = current.get(random.nextInt(current.size()));
      e.updateMetrics(
          new TaskIoCounters(
              e.id(),
              random.nextInt(1_000),
              random.nextInt(1_000),
              random.nextInt(100_000),
              random.nextInt(100_000),
              0));
      // an execution of the replaced attempt still reporting counts no more
      Execution replaced = earlier.get(random.nextInt(earlier.size()));
      replaced.updateMetrics(new TaskIoCounters(replaced.id(), 5, 5, 5, 5, 0));
      assertMatchesRecount();
    }
  }
}
