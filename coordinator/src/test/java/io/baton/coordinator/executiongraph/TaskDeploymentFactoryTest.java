package io.baton.coordinator.executiongraph;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.api.graph.JobGraph;
import io.baton.common.deployment.InputChannelDeployment;
import io.baton.common.deployment.ResultPartitionDeployment;
import io.baton.common.deployment.TaskDeployment;
import io.baton.common.ids.AllocationId;
import io.baton.common.ids.JobId;
import io.baton.common.ids.TaskManagerId;
import io.baton.coordinator.JobManagerTestCluster;
import io.baton.coordinator.resourcemanager.AllocatedSlot;
import io.baton.coordinator.rpc.RecordingTaskManagerGateway;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskDeploymentFactoryTest {
  private static final int SOURCE = 1;
  private static final int COUNT = 2;
  private static final int SINK = 3;

  private final JobId jobId = JobId.random();
  private final RecordingTaskManagerGateway tm =
      new RecordingTaskManagerGateway(new TaskManagerId("1".repeat(32)));

  /** source (2) -HASH-> count (4) -FORWARD-> sink (4), every execution in a slot of its index. */
  private ExecutionGraph deployed(JobGraph graph) {
    ExecutionGraph executionGraph = new ExecutionGraph(graph, (from, to) -> {});
    executionGraph.newAttempt(0);
    for (Execution e : executionGraph.currentExecutions()) {
      int index = e.vertex().subtaskIndex();
      e.assign(new AllocatedSlot(AllocationId.random(), jobId, tm.id, index, tm));
    }
    return executionGraph;
  }

  @Test
  void aForwardEdgeIsPointwiseOneChannelPerConsumer() throws Exception {
    JobGraph graph = JobManagerTestCluster.wordCount(4, Map.of());
    ExecutionGraph executionGraph = deployed(graph);
    TaskDeploymentFactory factory = new TaskDeploymentFactory(jobId, graph, "");

    for (int j = 0; j < 4; j++) {
      Execution count = executionGraph.subtasks(COUNT).get(j).current();
      TaskDeployment sink =
          factory.create(executionGraph.subtasks(SINK).get(j).current(), executionGraph);
      List<InputChannelDeployment> channels = sink.inputs().get(0).channels();
      // sink j reads the only subpartition of count j's partition, nothing else
      assertThat(channels).hasSize(1);
      assertThat(channels.get(0).partitionId())
          .isEqualTo(TaskDeploymentFactory.partitionId(count, graph.edges().get(1)));
      assertThat(channels.get(0).subpartitionIndex()).isZero();
      assertThat(channels.get(0).producerSubtaskIndex()).isEqualTo(j);

      ResultPartitionDeployment forwardOutput =
          factory.create(count, executionGraph).outputs().get(0);
      assertThat(forwardOutput.partitioning()).isEqualTo("FORWARD");
      assertThat(forwardOutput.numberOfSubpartitions()).isEqualTo(1);
    }
  }

  @Test
  void aHashEdgeStaysAllToAll() throws Exception {
    JobGraph graph = JobManagerTestCluster.wordCount(4, Map.of());
    ExecutionGraph executionGraph = deployed(graph);
    TaskDeploymentFactory factory = new TaskDeploymentFactory(jobId, graph, "");

    TaskDeployment count3 =
        factory.create(executionGraph.subtasks(COUNT).get(3).current(), executionGraph);
    List<InputChannelDeployment> channels = count3.inputs().get(0).channels();
    assertThat(channels)
        .extracting(InputChannelDeployment::producerSubtaskIndex)
        .containsExactly(0, 1);
    assertThat(channels).allSatisfy(c -> assertThat(c.subpartitionIndex()).isEqualTo(3));
    TaskDeployment source0 =
        factory.create(executionGraph.subtasks(SOURCE).get(0).current(), executionGraph);
    assertThat(source0.outputs().get(0).numberOfSubpartitions()).isEqualTo(4);
  }
}
