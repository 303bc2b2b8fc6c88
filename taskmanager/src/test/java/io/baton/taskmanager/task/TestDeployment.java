package io.baton.taskmanager.task;

import io.baton.api.graph.JobEdge;
import io.baton.api.graph.JobGraph;
import io.baton.api.graph.JobVertex;
import io.baton.api.graph.Partitioning;
import io.baton.api.graph.TaskVertex;
import io.baton.common.cluster.RpcAddress;
import io.baton.common.deployment.InputChannelDeployment;
import io.baton.common.deployment.InputGateDeployment;
import io.baton.common.deployment.ResultPartitionDeployment;
import io.baton.common.deployment.TaskDeployment;
import io.baton.common.ids.AllocationId;
import io.baton.common.ids.ExecutionId;
import io.baton.common.ids.JobId;
import io.baton.common.ids.TaskManagerId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Deploys a job graph the way the JobManager does: one execution id per subtask, partitions named
 * {@code <producerExecutionId>-<edgeIndex>}, subpartition j read by consumer subtask j; a FORWARD
 * edge pointwise (producer j's only subpartition read by consumer j).
 */
public final class TestDeployment {
  private final JobGraph graph;
  private final JobId jobId = JobId.random();
  private final Map<Integer, List<ExecutionId>> executions = new HashMap<>();
  // the in-memory network finds partitions by id alone: every producer "runs" here
  private final RpcAddress producerAddress = new RpcAddress("localhost", 0);
  private final TaskManagerId producerTaskManager = TaskManagerId.random();

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

  private static boolean pointwise(JobEdge edge) {
    return edge.partitioning() == Partitioning.FORWARD;
  }

  public TaskDeployment descriptor(int vertexId, int subtask) {
    JobVertex vertex = graph.vertex(vertexId).orElseThrow();
    List<ResultPartitionDeployment> outputs = new ArrayList<>();
    for (JobEdge edge : graph.outputsOf(vertexId)) {
      JobVertex target = graph.vertex(edge.targetVertexId()).orElseThrow();
      outputs.add(
          new ResultPartitionDeployment(
              partitionId(edge, subtask),
              edge.index(),
              target.id(),
              edge.partitioning().name(),
              pointwise(edge) ? 1 : target.parallelism(),
              target.maxParallelism()));
    }
    List<InputGateDeployment> inputs = new ArrayList<>();
    for (JobEdge edge : graph.inputsOf(vertexId)) {
      JobVertex source = graph.vertex(edge.sourceVertexId()).orElseThrow();
      List<InputChannelDeployment> channels = new ArrayList<>();
      if (pointwise(edge)) {
        channels.add(
            new InputChannelDeployment(
                partitionId(edge, subtask), 0, producerAddress, producerTaskManager, subtask));
      } else {
        for (int producer = 0; producer < source.parallelism(); producer++) {
          channels.add(
              new InputChannelDeployment(
                  partitionId(edge, producer),
                  subtask,
                  producerAddress,
                  producerTaskManager,
                  producer));
        }
      }
      inputs.add(new InputGateDeployment(edge.index(), source.id(), channels));
    }
    return new TaskDeployment(
        jobId,
        graph.name(),
        execution(vertexId, subtask),
        AllocationId.random(),
        0,
        vertexId,
        vertex.name(),
        subtask,
        vertex.parallelism(),
        vertex.maxParallelism(),
        0,
        serialize(TaskVertex.of(graph, vertexId)),
        Optional.empty(),
        inputs,
        outputs,
        Optional.empty(),
        Map.of());
  }

  /** {@code d} with other serialized vertex bytes (a damaged or an older deployer's vertex). */
  public static TaskDeployment withVertexBytes(TaskDeployment d, byte[] vertex) {
    return copy(d, d.attemptNumber(), vertex, d.jobConfig());
  }

  /** {@code d} as attempt {@code attempt}. */
  public static TaskDeployment withAttempt(TaskDeployment d, int attempt) {
    return copy(d, attempt, d.serializedVertex(), d.jobConfig());
  }

  /** {@code d} with {@code config} added to its job configuration. */
  public static TaskDeployment withJobConfig(TaskDeployment d, Map<String, String> config) {
    Map<String, String> merged = new HashMap<>(d.jobConfig());
    merged.putAll(config);
    return copy(d, d.attemptNumber(), d.serializedVertex(), merged);
  }

  private static TaskDeployment copy(
      TaskDeployment d, int attempt, byte[] vertex, Map<String, String> config) {
    return new TaskDeployment(
        d.jobId(),
        d.jobName(),
        d.executionId(),
        d.allocationId(),
        d.slotIndex(),
        d.vertexId(),
        d.vertexName(),
        d.subtaskIndex(),
        d.parallelism(),
        d.maxParallelism(),
        attempt,
        vertex,
        d.blobKey(),
        d.inputs(),
        d.outputs(),
        d.restore(),
        config);
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
