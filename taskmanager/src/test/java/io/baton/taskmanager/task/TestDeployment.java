package io.baton.taskmanager.task;

import com.google.protobuf.ByteString;
import io.baton.api.graph.JobEdge;
import io.baton.api.graph.JobGraph;
import io.baton.api.graph.JobVertex;
import io.baton.api.graph.TaskVertex;
import io.baton.common.ids.ExecutionId;
import io.baton.common.ids.JobId;
import io.baton.common.rpc.InputChannelDescriptor;
import io.baton.common.rpc.InputGateDescriptor;
import io.baton.common.rpc.ResultPartitionDescriptor;
import io.baton.common.rpc.SubmitTaskRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Deploys a job graph the way the JobManager does: one execution id per subtask, partitions named
 * {@code <producerExecutionId>-<edgeIndex>}, subpartition j read by consumer subtask j.
 */
public final class TestDeployment {
  private final JobGraph graph;
  private final JobId jobId = JobId.random();
  private final Map<Integer, List<ExecutionId>> executions = new HashMap<>();

  public TestDeployment(JobGraph graph) {
    this.graph = graph;
    for (JobVertex vertex : graph.vertices()) {
      executions.put(
          vertex.id(),
          IntStream.range(0, vertex.parallelism()).mapToObj(i -> ExecutionId.random()).toList());
    }
  }

  public JobId jobId() {
    return jobId;
  }

  public ExecutionId execution(int vertexId, int subtask) {
    return executions.get(vertexId).get(subtask);
  }

  /** The partition subtask {@code subtask} of the edge's source writes. */
  public String partitionId(JobEdge edge, int subtask) {
    return execution(edge.sourceVertexId(), subtask) + "-" + edge.index();
  }

  public SubmitTaskRequest descriptor(int vertexId, int subtask) {
    JobVertex vertex = graph.vertex(vertexId).orElseThrow();
    SubmitTaskRequest.Builder request =
        SubmitTaskRequest.newBuilder()
            .setJobId(jobId.value())
            .setJobName(graph.name())
            .setExecutionId(execution(vertexId, subtask).value())
            .setVertexId(vertexId)
            .setVertexName(vertex.name())
            .setSubtaskIndex(subtask)
            .setParallelism(vertex.parallelism())
            .setMaxParallelism(vertex.maxParallelism())
            .setAttemptNumber(0)
            .setSerializedVertex(ByteString.copyFrom(serialize(TaskVertex.of(graph, vertexId))));
    for (JobEdge edge : graph.outputsOf(vertexId)) {
      JobVertex target = graph.vertex(edge.targetVertexId()).orElseThrow();
      request.addOutputs(
          ResultPartitionDescriptor.newBuilder()
              .setPartitionId(partitionId(edge, subtask))
              .setEdgeIndex(edge.index())
              .setTargetVertexId(target.id())
              .setPartitioning(edge.partitioning().name())
              .setNumberOfSubpartitions(target.parallelism())
              .setTargetMaxParallelism(target.maxParallelism()));
    }
    for (JobEdge edge : graph.inputsOf(vertexId)) {
      JobVertex source = graph.vertex(edge.sourceVertexId()).orElseThrow();
      InputGateDescriptor.Builder gate =
          InputGateDescriptor.newBuilder()
              .setEdgeIndex(edge.index())
              .setSourceVertexId(source.id());
      for (int producer = 0; producer < source.parallelism(); producer++) {
        gate.addChannels(
            InputChannelDescriptor.newBuilder()
                .setPartitionId(partitionId(edge, producer))
                .setSubpartitionIndex(subtask)
                .setProducerSubtaskIndex(producer));
      }
      request.addInputs(gate);
    }
    return request.build();
  }

  static byte[] serialize(Object object) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
