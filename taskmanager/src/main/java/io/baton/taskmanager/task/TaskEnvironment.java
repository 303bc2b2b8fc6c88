package io.baton.taskmanager.task;

import io.baton.common.config.Configuration;
import io.baton.common.rpc.SubmitTaskRequest;
import io.baton.taskmanager.network.NetworkEnvironment;

/**
 * What a task gets from its TaskManager.
 *
 * @param descriptor what to run, as the JobManager sent it; {@code serialized_vertex} holds a
 *     Java-serialized {@link io.baton.api.graph.TaskVertex}
 * @param userClassLoader loads the job's classes (the job jar), released when the job ends here
 * @param network creates the task's result partitions and input gates
 * @param listener told about state changes
 * @param configuration the TaskManager's configuration
 * @param serializers makes the record serializers of the task's outputs and inputs; every task of a
 *     cluster must use the same kind
 */
public record TaskEnvironment(
    SubmitTaskRequest descriptor,
    ClassLoader userClassLoader,
    NetworkEnvironment network,
    TaskListener listener,
    Configuration configuration,
    RecordSerializerFactory serializers) {

  public TaskEnvironment {
    if (serializers == null) {
      serializers = RecordSerializerFactory.tagged();
    }
  }

  /** An environment with the default record serializers. */
  public TaskEnvironment(
      SubmitTaskRequest descriptor,
      ClassLoader userClassLoader,
      NetworkEnvironment network,
      TaskListener listener,
      Configuration configuration) {
    this(
        descriptor,
        userClassLoader,
        network,
        listener,
        configuration,
        RecordSerializerFactory.tagged());
  }
}
