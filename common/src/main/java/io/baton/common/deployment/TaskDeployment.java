package io.baton.common.deployment;

import io.baton.common.ids.AllocationId;
import io.baton.common.ids.ExecutionId;
import io.baton.common.ids.JobId;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a TaskManager needs to run one execution attempt of a subtask in one of its slots
 * (Flink's task deployment descriptor).
 *
 * @param serializedVertex the Java-serialized {@code io.baton.api.graph.TaskVertex} (the vertex and
 *     its outgoing edges); the TaskManager deserializes it with the job's class loader
 * @param blobKey the job jar to download; empty when the job's classes are on the class path
 * @param restore the state to start from; empty for a fresh start
 * @param jobConfig the job's configuration (checkpoint directories, execution options)
 */
public record TaskDeployment(
    JobId jobId,
    String jobName,
    ExecutionId executionId,
    AllocationId allocationId,
    int slotIndex,
    int vertexId,
    String vertexName,
    int subtaskIndex,
    int parallelism,
    int maxParallelism,
    int attemptNumber,
    byte[] serializedVertex,
    Optional<String> blobKey,
    List<InputGateDeployment> inputs,
    List<ResultPartitionDeployment> outputs,
    Optional<TaskRestore> restore,
    Map<String, String> jobConfig) {

  public TaskDeployment {
    Objects.requireNonNull(jobId, "jobId");
    jobName = jobName == null ? "" : jobName;
    Objects.requireNonNull(executionId, "executionId");
    Objects.requireNonNull(allocationId, "allocationId");
    vertexName = vertexName == null ? "" : vertexName;
    // the slot index is the TaskManager's to check: it knows how many slots it has
    if (subtaskIndex < 0 || attemptNumber < 0) {
      throw new IllegalArgumentException(
          "negative subtask ("
              + subtaskIndex
              + ") or attempt ("
              + attemptNumber
              + ") in the deployment of vertex "
              + vertexId);
    }
    serializedVertex = serializedVertex.clone();
    Objects.requireNonNull(blobKey, "blobKey");
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    Objects.requireNonNull(restore, "restore");
    jobConfig = Map.copyOf(jobConfig);
  }

  /** This deployment, restoring from {@code restore}. */
  public TaskDeployment withRestore(TaskRestore restore) {
    return new TaskDeployment(
        jobId,
        jobName,
        executionId,
        allocationId,
        slotIndex,
        vertexId,
        vertexName,
        subtaskIndex,
        parallelism,
        maxParallelism,
        attemptNumber,
        serializedVertex,
        blobKey,
        inputs,
        outputs,
        Optional.of(restore),
        jobConfig);
  }

  /** A copy of the serialized vertex (the record keeps its own bytes unchanged). */
  @Override
  public byte[] serializedVertex() {
    return serializedVertex.clone();
  }
}
