package io.baton.coordinator.jobmaster;

import io.baton.common.concurrent.MainThreadExecutor;
import io.baton.common.ids.ExecutionId;
import io.baton.common.rpc.TaskMetrics;
import io.baton.coordinator.metrics.JobMetricGroup;
import io.baton.coordinator.scheduler.Execution;
import io.baton.coordinator.scheduler.ExecutionGraph;
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
   * Reports about tasks of earlier attempts (or with unreadable ids) are ignored, and so are
   * periodic reports about tasks that already ended: their final figures came with their terminal
   * state, and a heartbeat sent before the end may arrive after it.
   */
  void apply(List<TaskMetrics> reported) {
    mainThread.assertRunningInMainThread();
    boolean any = false;
    for (TaskMetrics m : reported) {
      Execution e;
      try {
        e = executionGraph.current(ExecutionId.parse(m.getExecutionId()));
      } catch (IllegalArgumentException bad) {
        continue;
      }
      if (e != null && !e.isTerminal()) {
        e.updateMetrics(m);
        any = true;
      }
    }
    if (any) {
      long in = 0;
      long out = 0;
      long bytesIn = 0;
      long bytesOut = 0;
      for (Execution e : executionGraph.currentExecutions()) {
        in += e.metrics().getRecordsIn();
        out += e.metrics().getRecordsOut();
        bytesIn += e.metrics().getBytesIn();
        bytesOut += e.metrics().getBytesOut();
      }
      jobMetrics.setIo(in, out, bytesIn, bytesOut);
    }
  }
}
