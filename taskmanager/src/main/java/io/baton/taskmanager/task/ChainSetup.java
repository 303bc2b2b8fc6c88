package io.baton.taskmanager.task;

import io.baton.api.functions.KeySelector;
import io.baton.api.graph.JobEdge;
import io.baton.api.graph.JobVertex;
import io.baton.api.graph.Partitioning;
import io.baton.api.graph.TaskVertex;
import io.baton.common.deployment.InputGateDeployment;
import io.baton.common.deployment.ResultPartitionDeployment;
import io.baton.common.deployment.TaskDeployment;
import io.baton.common.deployment.TaskRestore;
import io.baton.common.ids.ExecutionId;
import io.baton.common.serialization.RecordSerializer;
import io.baton.storage.StoreFileSystemAccess;
import io.baton.taskmanager.network.InputGate;
import io.baton.taskmanager.network.ResultPartition;
import io.baton.taskmanager.operators.OperatorChain;
import io.baton.taskmanager.operators.Partitioner;
import io.baton.taskmanager.operators.RecordWriter;
import io.baton.taskmanager.operators.SubtaskInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Builds a task's operator chain from its deployment descriptor: the outputs it writes, the inputs
 * it reads, and the state it restores; and closes the chain again when the task ends abnormally.
 * Runs on the task's thread; every partition and gate is handed to the task's channels as soon as
 * it exists, so a cancel can release it.
 */
final class ChainSetup {
  private final TaskEnvironment environment;
  private final TaskDeployment descriptor;
  private final ExecutionId executionId;
  private final String taskNameWithSubtask;
  private final TaskChannels channels;
  private final TaskLifecycle lifecycle;

  ChainSetup(
      TaskEnvironment environment,
      ExecutionId executionId,
      String taskNameWithSubtask,
      TaskChannels channels,
      TaskLifecycle lifecycle) {
    this.environment = environment;
    this.descriptor = environment.descriptor();
    this.executionId = executionId;
    this.taskNameWithSubtask = taskNameWithSubtask;
    this.channels = channels;
    this.lifecycle = lifecycle;
  }

  /** The chain with its inputs created and requested; call {@link #restore} before opening it. */
  record Built(OperatorChain chain, SubtaskInfo subtask, List<InputGateReader> readers) {}

  Built build() throws Exception {
    TaskVertex taskVertex =
        TaskVertexReader.read(descriptor.serializedVertex(), environment.userClassLoader());
    SubtaskInfo subtask = subtaskInfo(taskVertex.vertex());
    List<RecordWriter> writers = createOutputs(taskVertex, subtask);
    List<InputGateReader> readers = createInputs();
    OperatorChain chain = OperatorChain.create(taskVertex.vertex(), subtask, writers);
    return new Built(chain, subtask, readers);
  }

  /** Restores the chain's state from the checkpoint the task was deployed with, if any. */
  void restore(Built built) throws Exception {
    TaskRestore restore = descriptor.restore().orElse(null);
    if (restore != null && !restore.state().isEmpty()) {
      new StateRestorer(
              environment.fileStores(),
              environment.serializers(),
              environment.userClassLoader(),
              taskNameWithSubtask)
          .restore(
              restore.checkpointId(),
              restore.directory(),
              restore.state(),
              built.chain(),
              built.subtask().parallelism());
    }
  }

  /** Closes the chain of a task that did not finish; errors go to {@code failure} or the log. */
  static void closeChainQuietly(OperatorChain chain, Throwable failure, SecondaryErrors errors) {
    if (chain == null) {
      return;
    }
    try {
      chain.close();
    } catch (Exception e) {
      errors.record(failure, "closing the operators", e);
    }
  }

  private SubtaskInfo subtaskInfo(JobVertex vertex) {
    return new SubtaskInfo(
        descriptor.jobId().value(),
        descriptor.vertexName().isEmpty() ? vertex.name() : descriptor.vertexName(),
        descriptor.subtaskIndex(),
        descriptor.parallelism() > 0 ? descriptor.parallelism() : vertex.parallelism(),
        descriptor.maxParallelism() > 0 ? descriptor.maxParallelism() : vertex.maxParallelism(),
        descriptor.attemptNumber(),
        new StoreFileSystemAccess(environment.fileStores()));
  }

  private List<RecordWriter> createOutputs(TaskVertex taskVertex, SubtaskInfo subtask) {
    List<RecordWriter> writers = new ArrayList<>();
    for (ResultPartitionDeployment output : descriptor.outputs()) {
      Optional<JobEdge> edge = taskVertex.output(output.edgeIndex());
      Partitioning partitioning = partitioningOf(output, edge);
      KeySelector<?, ?> keySelector = null;
      if (partitioning == Partitioning.HASH) {
        keySelector =
            edge.map(JobEdge::keySelector)
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "HASH output edge "
                                + output.edgeIndex()
                                + " of '"
                                + subtask.taskName()
                                + "' has no key selector: the deployed vertex lacks the edge"));
      }
      Partitioner partitioner =
          Partitioner.create(
              partitioning,
              subtask.subtaskIndex(),
              output.numberOfSubpartitions(),
              output.targetMaxParallelism(),
              keySelector);
      ResultPartition partition = environment.network().createResultPartition(output);
      channels.add(partition);
      lifecycle.checkNotCanceled();
      writers.add(
          new RecordWriter(
              "output edge " + output.edgeIndex() + " to vertex " + output.targetVertexId(),
              partition,
              partitioner,
              serializers()));
    }
    return writers;
  }

  private static Partitioning partitioningOf(
      ResultPartitionDeployment output, Optional<JobEdge> edge) {
    String name = output.partitioning();
    if (name.isEmpty()) {
      return edge.map(JobEdge::partitioning)
          .orElseThrow(
              () ->
                  new IllegalArgumentException(
                      "output edge " + output.edgeIndex() + " names no partitioning"));
    }
    try {
      return Partitioning.valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "output edge " + output.edgeIndex() + " has unknown partitioning '" + name + "'");
    }
  }

  private List<InputGateReader> createInputs() {
    List<InputGateReader> readers = new ArrayList<>();
    for (InputGateDeployment input : descriptor.inputs()) {
      InputGate gate = environment.network().createInputGate(input, executionId.value());
      channels.add(gate);
      lifecycle.checkNotCanceled();
      readers.add(new InputGateReader(readers.size(), gate, serializers()));
    }
    for (InputGateReader reader : readers) {
      reader.gate().requestPartitions();
    }
    return readers;
  }

  private Supplier<RecordSerializer> serializers() {
    RecordSerializerFactory factory = environment.serializers();
    ClassLoader classLoader = environment.userClassLoader();
    return () -> factory.create(classLoader);
  }
}
