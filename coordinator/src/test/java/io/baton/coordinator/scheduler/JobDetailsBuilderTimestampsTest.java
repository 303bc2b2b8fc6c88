package io.baton.coordinator.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.api.graph.JobGraph;
import io.baton.common.execution.ExecutionState;
import io.baton.common.ids.JobId;
import io.baton.coordinator.JobManagerTestCluster;
import io.baton.coordinator.executiongraph.Execution;
import io.baton.coordinator.executiongraph.ExecutionGraph;
import io.baton.coordinator.status.JobDetails;
import io.baton.coordinator.status.JobStatus;
import io.baton.coordinator.status.SubtaskDetails;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each subtask's details say when its current attempt reached each state. */
class JobDetailsBuilderTimestampsTest {

  @Test
  void subtasksCarryTheTimesTheirCurrentAttemptReachedEachState() throws Exception {
    JobGraph graph = JobManagerTestCluster.wordCount();
    ExecutionGraph executions = new ExecutionGraph(graph, (from, to) -> {});
    executions.newAttempt(1_000);
    for (Execution e : executions.currentExecutions()) {
      e.transitionTo(ExecutionState.SCHEDULED, 1_100);
      e.transitionTo(ExecutionState.DEPLOYING, 1_200);
    }
    Execution first = executions.subtasks(1).get(0).current();
    first.transitionTo(ExecutionState.RUNNING, 1_500);
    executions.newAttempt(2_000); // a restart: the new attempt's times only
    executions.subtasks(1).get(0).current().transitionTo(ExecutionState.SCHEDULED, 2_100);

    JobDetails details =
        new JobDetailsBuilder(JobId.random(), graph)
            .build(executions, JobStatus.RUNNING, 900, -1, 2_500, null, 1, 2_100);

    SubtaskDetails restarted = details.vertices().get(0).subtasks().get(0);
    assertThat(restarted.attempt()).isEqualTo(1);
    assertThat(restarted.timestamps())
        .isEqualTo(Map.of(ExecutionState.CREATED, 2_000L, ExecutionState.SCHEDULED, 2_100L));
    SubtaskDetails untouched = details.vertices().get(2).subtasks().get(0);
    assertThat(untouched.timestamps()).isEqualTo(Map.of(ExecutionState.CREATED, 2_000L));
  }
}
