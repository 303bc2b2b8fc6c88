package io.baton.coordinator.scheduler;

import io.baton.common.concurrent.MainThreadExecutor;
import io.baton.common.execution.TaskIoCounters;
import io.baton.coordinator.executiongraph.AttemptIoTotals;
import io.baton.coordinator.executiongraph.Execution;
import io.baton.coordinator.executiongraph.ExecutionGraph;
import io.baton.coordinator.metrics.JobMetricGroup;
import java.util.List;

/**
 * Takes the task metrics the TaskManagers report into the current attempt's executions and sums
 * them into the job's records and bytes series. Main thread only.
 */
final class TaskMetricsReports {
  private final ExecutionGraph executionGraph;
  private final JobMetricGroup jobMetrics;
  private final MainThreadExecutor mainThread;

  TaskMetricsReports(
      ExecutionGraph executionGraph, JobMetricGroup jobMetrics, MainThreadExecutor mainThread) {
    this.executionGraph = executionGraph;
    this.jobMetrics = jobMetrics;
    this.mainThread = mainThread;
  }

  /**
   * Reports about tasks of earlier attempts are ignored (unreadable ids were refused at the RPC
   * edge), and so are periodic reports about tasks that already ended: their final figures came
   * with their terminal state, and a heartbeat sent before the end may arrive after it.
   */
  void apply(List<TaskIoCounters> reported) {
    mainThread.assertRunningInMainThread();
    boolean any = false;
    for (TaskIoCounters m : reported) {
      Execution e = executionGraph.current(m.executionId());
      if (e != null && !e.isTerminal()) {
        e.updateMetrics(m);
        any = true;
      }
    }
    if (any) {
      // kept as each execution reports: summing all of them here cost a pass per heartbeat
      AttemptIoTotals totals = executionGraph.ioTotals();
      jobMetrics.setIo(
          totals.recordsIn(), totals.recordsOut(), totals.bytesIn(), totals.bytesOut());
    }
  }
}
