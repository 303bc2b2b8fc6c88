package io.baton.taskmanager.task;

import io.baton.api.graph.JobGraph;
import io.baton.api.graph.JobVertex;
import io.baton.api.graph.OperatorKind;
import io.baton.api.graph.OperatorSpec;
import io.baton.common.config.Configuration;
import io.baton.common.deployment.TaskDeployment;
import io.baton.taskmanager.task.InMemoryNetwork.InMemoryResultPartition;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts tasks on an in-memory network and cancels whatever is left of them at the end. */
final class TaskFixture implements AutoCloseable {
  static final Duration DEADLINE = Duration.ofSeconds(10);

  private final InMemoryNetwork network = new InMemoryNetwork();
  private final List<Task> tasks = new ArrayList<>();

  InMemoryNetwork network() {
    return network;
  }

  Task start(TaskDeployment descriptor, TaskListener listener) {
    Task task = track(task(descriptor, listener));
    task.start();
    return task;
  }

  Task task(TaskDeployment descriptor, TaskListener listener) {
    return new Task(
        new TaskEnvironment(
            descriptor,
            getClass().getClassLoader(),
            network,
            listener,
            new Configuration(),
            TestRecordSerializer.factory()));
  }

  Task track(Task task) {
    tasks.add(task);
    return task;
  }

  @Override
  public void close() throws Exception {
    for (Task task : tasks) {
      task.cancel();
      task.terminationFuture().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }
  }

  static void emit(InMemoryResultPartition partition, Object record) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new TestRecordSerializer().serialize(record, new DataOutputStream(bytes));
    partition.emitRecord(bytes.toByteArray(), 0, bytes.size(), 0);
  }

  static JobGraph graph(JobVertex vertex) {
    return JobGraph.builder("test").addVertex(vertex).build();
  }

  static JobVertex vertex(int id, int parallelism, OperatorSpec... chain) {
    String name =
        chain[0].name() + (chain.length > 1 ? " -> " + chain[chain.length - 1].name() : "");
    return new JobVertex(id, name, parallelism, 128, List.of(chain));
  }

  static OperatorSpec source(String name, Serializable source) {
    return new OperatorSpec(name, name, OperatorKind.SOURCE, source, null);
  }

  static OperatorSpec op(String name, OperatorKind kind, Serializable function) {
    return new OperatorSpec(name, name, kind, function, null);
  }
}
