package io.baton.coordinator.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.common.execution.ExecutionState;
import io.baton.common.execution.TaskIoCounters;
import io.baton.coordinator.JobManagerTestCluster;
import io.baton.coordinator.ManualClock;
import io.baton.coordinator.ManualMainThreadExecutor;
import io.baton.coordinator.executiongraph.Execution;
import io.baton.coordinator.executiongraph.ExecutionGraph;
import io.baton.coordinator.metrics.JobManagerMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Periodic task metrics never overwrite the final figures a task reported when it ended. */
class TaskMetricsReportsTest {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private TaskMetricsReports reports;
  private Execution task;

  @BeforeEach
  void oneRunningTask() throws Exception {
    ExecutionGraph graph =
        new ExecutionGraph(JobManagerTestCluster.wordCount(1, Map.of()), (from, to) -> {});
    graph.newAttempt(0);
    reports =
        new TaskMetricsReports(
            graph,
            new JobManagerMetrics(registry).jobMetricGroup("job", "word count"),
            new ManualMainThreadExecutor(new ManualClock(0)));
    task = graph.currentExecutions().get(0);
    task.transitionTo(ExecutionState.RUNNING, 1);
  }

  @Test
  void aHeartbeatReportArrivingAfterATaskFinishedLeavesItsFinalFiguresAlone() {
    reports.apply(List.of(metrics(task, 10)));
    // the task finished with its final figures (as TaskStateUpdates records them) ...
    task.updateMetrics(metrics(task, 100));
    task.transitionTo(ExecutionState.FINISHED, 2);

    // ... and a heartbeat sent before the end arrives after it
    reports.apply(List.of(metrics(task, 60)));

    assertThat(task.metrics().recordsOut()).isEqualTo(100);
  }

  @Test
  void aRunningTaskTakesEachReport() {

    reports.apply(List.of(metrics(task, 10)));
    reports.apply(List.of(metrics(task, 25)));

    assertThat(task.metrics().recordsOut()).isEqualTo(25);
    assertThat(registry.scrape()).contains("baton_task_records_out");
  }

  private static TaskIoCounters metrics(Execution task, long recordsOut) {
    return new TaskIoCounters(task.id(), 0, recordsOut, 0, 0, 0);
  }
}
