package io.baton.taskmanager.task;

import io.baton.common.execution.ExecutionState;
import io.baton.common.ids.ExecutionId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Remembers every state a task reported, with the reporting thread's name. */
final class RecordingListener implements TaskListener {

  record Report(
      ExecutionId executionId, ExecutionState state, Throwable cause, String threadName) {}

  private final List<Report> reports = new CopyOnWriteArrayList<>();

  @Override
  public void stateChanged(ExecutionId executionId, ExecutionState state, Throwable cause) {
    reports.add(new Report(executionId, state, cause, Thread.currentThread().getName()));
  }

  List<Report> reports() {
    return reports;
  }

  List<ExecutionState> states() {
    return reports.stream().map(Report::state).toList();
  }

  Report last() {
    return reports.get(reports.size() - 1);
  }
}
