package io.baton.coordinator.scheduler;

import com.google.protobuf.ByteString;
import io.baton.api.graph.JobEdge;
import io.baton.api.graph.JobGraph;
import io.baton.api.graph.JobVertex;
import io.baton.api.graph.TaskVertex;
import io.baton.common.ids.JobId;
import io.baton.common.rpc.InputChannelDescriptor;
import io.baton.common.rpc.InputGateDescriptor;
import io.baton.common.rpc.ResultPartitionDescriptor;
import io.baton.common.rpc.SubmitTaskRequest;
import io.baton.coordinator.resourcemanager.AllocatedSlot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link SubmitTaskRequest} of an execution: what to run (the Java-serialized {@link
 * TaskVertex}), where its inputs come from and which result partitions it writes. A partition is
 * named {@code <producerExecutionId>-<edgeIndex>}; consumer subtask j reads subpartition j of every
 * producer's partition.
 */
public final class TaskDeploymentFactory {
  private final JobId jobId;
  private final JobGraph graph;
  private final String blobKey;
  private final Map<Integer, ByteString> serializedVertices = new HashMap<>();

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

  private static ByteString serialize(TaskVertex taskVertex, JobVertex v) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(taskVertex);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot serialize operator '" + v.name() + "': " + e, e);
    }
    return ByteString.copyFrom(bytes.toByteArray());
  }

  /** The request deploying {@code execution}; every execution of the graph must have its slot. */
  public SubmitTaskRequest create(Execution execution, ExecutionGraph executionGraph) {
    ExecutionVertex ev = execution.vertex();
    JobVertex v = ev.jobVertex();
    AllocatedSlot slot = execution.slot();
    SubmitTaskRequest.Builder request =
        SubmitTaskRequest.newBuilder()
            .setJobId(jobId.toString())
            .setJobName(graph.name())
            .setExecutionId(execution.id().toString())
            .setAllocationId(slot.allocationId().toString())
            .setSlotIndex(slot.slotIndex())
            .setVertexId(v.id())
            .setVertexName(v.name())
            .setSubtaskIndex(ev.subtaskIndex())
            .setParallelism(v.parallelism())
            .setMaxParallelism(v.maxParallelism())
            .setAttemptNumber(execution.attempt())
            .setSerializedVertex(serializedVertices.get(v.id()))
            .setBlobKey(blobKey)
            .putAllJobConfig(graph.config());
    for (JobEdge edge : graph.inputsOf(v.id())) {
      request.addInputs(inputGate(edge, ev.subtaskIndex(), executionGraph));
    }
    for (JobEdge edge : graph.outputsOf(v.id())) {
      JobVertex consumer = graph.vertex(edge.targetVertexId()).orElseThrow();
      request.addOutputs(
          ResultPartitionDescriptor.newBuilder()
              .setPartitionId(partitionId(execution, edge))
              .setEdgeIndex(edge.index())
              .setTargetVertexId(consumer.id())
              .setPartitioning(edge.partitioning().name())
              .setNumberOfSubpartitions(consumer.parallelism())
              .setTargetMaxParallelism(consumer.maxParallelism()));
    }
    return request.build();
  }

  private static InputGateDescriptor inputGate(
      JobEdge edge, int consumerSubtask, ExecutionGraph executionGraph) {
    InputGateDescriptor.Builder gate =
        InputGateDescriptor.newBuilder()
            .setEdgeIndex(edge.index())
            .setSourceVertexId(edge.sourceVertexId());
    List<ExecutionVertex> producers = executionGraph.subtasks(edge.sourceVertexId());
    for (ExecutionVertex producer : producers) {
      Execution p = producer.current();
      gate.addChannels(
          InputChannelDescriptor.newBuilder()
              .setPartitionId(partitionId(p, edge))
              .setSubpartitionIndex(consumerSubtask)
              .setProducerAddress(p.slot().address())
              .setProducerTaskManagerId(p.slot().taskManagerId().toString())
              .setProducerSubtaskIndex(producer.subtaskIndex()));
    }
    return gate.build();
  }

  static String partitionId(Execution producer, JobEdge edge) {
    return producer.id() + "-" + edge.index();
  }
}
