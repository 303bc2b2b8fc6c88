package io.baton.coordinator.executiongraph;

import io.baton.api.graph.JobEdge;
import io.baton.api.graph.JobGraph;
import io.baton.api.graph.JobVertex;
import io.baton.api.graph.Partitioning;
import io.baton.api.graph.TaskVertex;
import io.baton.common.deployment.InputChannelDeployment;
import io.baton.common.deployment.InputGateDeployment;
import io.baton.common.deployment.ResultPartitionDeployment;
import io.baton.common.deployment.TaskDeployment;
import io.baton.common.ids.JobId;
import io.baton.coordinator.resourcemanager.AllocatedSlot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the {@link TaskDeployment} of an execution: what to run (the Java-serialized {@link
 * TaskVertex}), where its inputs come from and which result partitions it writes. A partition is
 * named {@code <producerExecutionId>-<edgeIndex>}. A FORWARD edge is pointwise, as Flink's:
 * producer j's partition has one subpartition and consumer j reads only it, so a job of P subtasks
 * per vertex has P channels on that edge instead of P² (and a deployment names one channel instead
 * of P). On every other edge consumer subtask j reads subpartition j of every producer's partition.
 */
public final class TaskDeploymentFactory {
  private final JobId jobId;
  private final JobGraph graph;
  private final String blobKey;
  private final Map<Integer, byte[]> serializedVertices = new HashMap<>();

  /**
   * @throws IllegalArgumentException when a vertex cannot be serialized (a function that is not
   *     serializable), naming the vertex
   */
  public TaskDeploymentFactory(JobId jobId, JobGraph graph, String blobKey) {
    this.jobId = jobId;
    this.graph = graph;
    this.blobKey = blobKey;
    for (JobVertex v : graph.vertices()) {
      serializedVertices.put(v.id(), serialize(new TaskVertex(v, graph.outputsOf(v.id())), v));
    }
  }

  private static byte[] serialize(TaskVertex taskVertex, JobVertex v) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(taskVertex);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot serialize operator '" + v.name() + "': " + e, e);
    }
    return bytes.toByteArray();
  }

  /** The request deploying {@code execution}; every execution of the graph must have its slot. */
  public TaskDeployment create(Execution execution, ExecutionGraph executionGraph) {
    ExecutionVertex ev = execution.vertex();
    JobVertex v = ev.jobVertex();
    AllocatedSlot slot = execution.slot();
    List<InputGateDeployment> inputs = new ArrayList<>();
    for (JobEdge edge : graph.inputsOf(v.id())) {
      inputs.add(inputGate(edge, ev.subtaskIndex(), executionGraph));
    }
    List<ResultPartitionDeployment> outputs = new ArrayList<>();
    for (JobEdge edge : graph.outputsOf(v.id())) {
      JobVertex consumer = graph.vertex(edge.targetVertexId()).orElseThrow();
      outputs.add(
          new ResultPartitionDeployment(
              partitionId(execution, edge),
              edge.index(),
              consumer.id(),
              edge.partitioning().name(),
              isPointwise(edge) ? 1 : consumer.parallelism(),
              consumer.maxParallelism()));
    }
    return new TaskDeployment(
        jobId,
        graph.name(),
        execution.id(),
        slot.allocationId(),
        slot.slotIndex(),
        v.id(),
        v.name(),
        ev.subtaskIndex(),
        v.parallelism(),
        v.maxParallelism(),
        execution.attempt(),
        serializedVertices.get(v.id()),
        blobKey.isEmpty() ? Optional.empty() : Optional.of(blobKey),
        inputs,
        outputs,
        Optional.empty(),
        graph.config());
  }

  private static InputGateDeployment inputGate(
      JobEdge edge, int consumerSubtask, ExecutionGraph executionGraph) {
    List<ExecutionVertex> producers = executionGraph.subtasks(edge.sourceVertexId());
    List<InputChannelDeployment> channels = new ArrayList<>();
    if (isPointwise(edge)) {
      // the job graph allows FORWARD only between vertices of equal parallelism
      channels.add(channel(edge, producers.get(consumerSubtask), 0));
    } else {
      for (ExecutionVertex producer : producers) {
        channels.add(channel(edge, producer, consumerSubtask));
      }
    }
    return new InputGateDeployment(edge.index(), edge.sourceVertexId(), channels);
  }

  private static InputChannelDeployment channel(
      JobEdge edge, ExecutionVertex producer, int subpartition) {
    Execution p = producer.current();
    return new InputChannelDeployment(
        partitionId(p, edge),
        subpartition,
        p.slot().address(),
        p.slot().taskManagerId(),
        producer.subtaskIndex());
  }

  private static boolean isPointwise(JobEdge edge) {
    return edge.partitioning() == Partitioning.FORWARD;
  }

  static String partitionId(Execution producer, JobEdge edge) {
    return producer.id() + "-" + edge.index();
  }
}
