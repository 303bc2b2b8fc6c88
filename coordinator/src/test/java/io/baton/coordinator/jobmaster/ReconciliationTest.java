package io.baton.coordinator.jobmaster;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.common.cluster.RunningExecution;
import io.baton.common.ids.AllocationId;
import io.baton.common.ids.ExecutionId;
import io.baton.common.ids.JobId;
import io.baton.common.ids.TaskManagerId;
import io.baton.coordinator.ManualClock;
import io.baton.coordinator.ManualMainThreadExecutor;
import io.baton.coordinator.jobmaster.Reconciliation.Adopt;
import io.baton.coordinator.jobmaster.Reconciliation.Outcome;
import io.baton.coordinator.jobmaster.Reconciliation.Restart;
import io.baton.coordinator.jobmaster.Reconciliation.Stranger;
import io.baton.ha.DeploymentRecord;
import io.baton.ha.DeploymentRecord.RecordedExecution;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The adoption decision of a recovered job, with time and the reports under the test's control. */
class ReconciliationTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final ManualClock clock = new ManualClock(1_000);
  private final ManualMainThreadExecutor mainThread = new ManualMainThreadExecutor(clock);
  private final JobId job = JobId.random();
  private final TaskManagerId tm1 = new TaskManagerId("1".repeat(32));
  private final TaskManagerId tm2 = new TaskManagerId("2".repeat(32));
  private final List<Outcome> outcomes = new ArrayList<>();
  private final List<Stranger> strangers = new ArrayList<>();
  private DeploymentRecord record;
  private Reconciliation reconciliation;

  @BeforeEach
  void recordFourSubtasksOnTwoTaskManagers() {
    List<RecordedExecution> executions = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      executions.add(
          new RecordedExecution(
              1 + i / 2,
              i % 2,
              ExecutionId.random(),
              3,
              i % 2 == 0 ? tm1 : tm2,
              AllocationId.random(),
              i / 2,
              500 + i));
    }
    record = new DeploymentRecord(job, 3, executions);
    reconciliation = new Reconciliation(record, mainThread, TIMEOUT, outcomes::add, strangers::add);
    mainThread.execute(reconciliation::start);
    mainThread.runAll();
  }

  private RecordedExecution recorded(int i) {
    return record.executions().get(i);
  }

  /** What {@code e}'s TaskManager reports of it when it runs as recorded. */
  private RunningExecution asRecorded(RecordedExecution e) {
    return new RunningExecution(job, e.executionId(), e.attempt(), e.allocationId(), e.slotIndex());
  }

  private void report(TaskManagerId tm, RunningExecution... executions) {
    mainThread.execute(() -> reconciliation.reported(tm, List.of(executions)));
    mainThread.runAll();
  }

  @Test
  void adoptsOnceEverySubtaskIsReportedAsRecorded() {
    report(tm1, asRecorded(recorded(0)), asRecorded(recorded(2)));
    assertThat(outcomes).as("tm2's subtasks are still missing").isEmpty();

    report(tm2, asRecorded(recorded(1)), asRecorded(recorded(3)));

    assertThat(outcomes).containsExactly(new Adopt(record));
    mainThread.advance(TIMEOUT);
    assertThat(outcomes).as("decided once").hasSize(1);
    assertThat(strangers).isEmpty();
  }

  @Test
  void restartsWhenTheReportsDoNotCompleteWithinTheTimeoutNamingTheMissingSubtasks() {
    report(tm1, asRecorded(recorded(0)), asRecorded(recorded(2)));

    mainThread.advance(TIMEOUT.minusMillis(1));
    assertThat(outcomes).isEmpty();
    mainThread.advance(Duration.ofMillis(1));

    assertThat(outcomes)
        .containsExactly(
            new Restart(
                "2 of 4 subtasks were not reported within jobmanager.reconciliation.timeout"
                    + " (10000 ms): 1/1 on TaskManager "
                    + tm2
                    + ", 2/1 on TaskManager "
                    + tm2));
    report(tm2, asRecorded(recorded(1)), asRecorded(recorded(3)));
    assertThat(outcomes).as("a late report changes nothing").hasSize(1);
  }

  @Test
  void restartsAtOnceWhenAReportContradictsTheRecord() {
    RecordedExecution e = recorded(1);
    report(
        tm2,
        new RunningExecution(job, e.executionId(), 2, e.allocationId(), e.slotIndex()),
        asRecorded(recorded(3)));

    assertThat(outcomes)
        .containsExactly(
            new Restart(
                "execution "
                    + e.executionId()
                    + " is reported as attempt 2 in slot 0 ("
                    + e.allocationId()
                    + "), recorded as attempt 3 in slot 0 ("
                    + e.allocationId()
                    + ")"));
  }

  @Test
  void restartsWhenARecordedExecutionIsReportedByAnotherTaskManager() {
    report(tm1, asRecorded(recorded(1)));

    assertThat(outcomes)
        .containsExactly(
            new Restart(
                "execution "
                    + recorded(1).executionId()
                    + " is reported by TaskManager "
                    + tm1
                    + ", recorded on "
                    + tm2));
  }

  @Test
  void restartsWhenATaskOfTheAttemptEndedBeforeAdoption() {
    report(tm1, asRecorded(recorded(0)), asRecorded(recorded(2)));

    mainThread.execute(() -> reconciliation.ended(recorded(3).executionId(), "FAILED"));
    mainThread.runAll();

    assertThat(outcomes)
        .containsExactly(
            new Restart(
                "subtask 2/1 (execution "
                    + recorded(3).executionId()
                    + ") is FAILED on TaskManager "
                    + tm2));
  }

  @Test
  void restartsAtOnceWhenATaskManagerRegistersWithoutARecordedSubtask() {
    report(tm1, asRecorded(recorded(0)), asRecorded(recorded(2)));

    // tm2 registered and runs only one of its two recorded subtasks: the other ended
    report(tm2, asRecorded(recorded(1)));

    assertThat(outcomes)
        .containsExactly(
            new Restart(
                "subtask 2/1 (execution "
                    + recorded(3).executionId()
                    + ") is not among the tasks TaskManager "
                    + tm2
                    + " reported running when it registered: it ended"));
  }

  @Test
  void restartsAtOnceWhenATaskManagerItWaitsForIsLostNotAtTheTimeout() {
    report(tm1, asRecorded(recorded(0)), asRecorded(recorded(2)));
    TaskManagerId other = new TaskManagerId("3".repeat(32));
    mainThread.execute(() -> reconciliation.taskManagerLost(other, "no heartbeat"));
    mainThread.runAll();
    assertThat(outcomes).as("a TaskManager the record does not name changes nothing").isEmpty();

    mainThread.execute(
        () -> reconciliation.taskManagerLost(tm2, "TaskManager " + tm2 + " is unreachable"));
    mainThread.runAll();

    assertThat(outcomes)
        .containsExactly(
            new Restart(
                "TaskManager "
                    + tm2
                    + ", recorded to run subtask(s) 1/1, 2/1, was lost before they were adopted:"
                    + " TaskManager "
                    + tm2
                    + " is unreachable"));
    report(tm2, asRecorded(recorded(1)), asRecorded(recorded(3)));
    mainThread.advance(TIMEOUT);
    assertThat(outcomes).as("decided once").hasSize(1);
  }

  @Test
  void executionsTheRecordDoesNotNameAreCancelledWhateverTheDecision() {
    RunningExecution stranger =
        new RunningExecution(job, ExecutionId.random(), 2, AllocationId.random(), 1);

    report(tm1, asRecorded(recorded(0)), stranger, asRecorded(recorded(2)));
    report(tm2, asRecorded(recorded(1)), asRecorded(recorded(3)));
    report(tm2, stranger);

    assertThat(outcomes).containsExactly(new Adopt(record));
    assertThat(strangers).containsExactly(new Stranger(tm1, stranger), new Stranger(tm2, stranger));
  }
}
