package io.baton.taskmanager.task;

import io.baton.common.config.Configuration;
import io.baton.common.deployment.TaskDeployment;
import io.baton.storage.FileStores;
import io.baton.taskmanager.network.NetworkEnvironment;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * What a task gets from its TaskManager.
 *
 * @param descriptor what to run, as the JobManager sent it; its serialized vertex is a
 *     Java-serialized {@link io.baton.api.graph.TaskVertex}
 * @param userClassLoader loads the job's classes (the job jar), released when the job ends here
 * @param network creates the task's result partitions and input gates
 * @param listener told about state changes
 * @param configuration the TaskManager's configuration
 * @param serializers makes the record serializers of the task's outputs and inputs; every task of a
 *     cluster must use the same kind
 * @param fileStores the TaskManager's storage: checkpoint files and the connectors' files; owned
 *     (and closed) by the TaskManager
 * @param checkpointResponder where checkpoint acknowledgements and declines go
 * @param ioExecutor the TaskManager's I/O threads: checkpoint files are written there
 */
public record TaskEnvironment(
    TaskDeployment descriptor,
    ClassLoader userClassLoader,
    NetworkEnvironment network,
    TaskListener listener,
    Configuration configuration,
    RecordSerializerFactory serializers,
    FileStores fileStores,
    CheckpointResponder checkpointResponder,
    Executor ioExecutor) {

  public TaskEnvironment {
    if (serializers == null) {
      serializers = RecordSerializerFactory.tagged();
    }
    if (fileStores == null) {
      fileStores = new FileStores(configuration == null ? new Configuration() : configuration);
    }
    if (checkpointResponder == null) {
      checkpointResponder = CheckpointResponder.ignoring();
    }
    if (ioExecutor == null) {
      ioExecutor = ForkJoinPool.commonPool();
    }
  }

  /** An environment without a checkpoint coordinator, with local storage. */
  public TaskEnvironment(
      TaskDeployment descriptor,
      ClassLoader userClassLoader,
      NetworkEnvironment network,
      TaskListener listener,
      Configuration configuration,
      RecordSerializerFactory serializers) {
    this(
        descriptor,
        userClassLoader,
        network,
        listener,
        configuration,
        serializers,
        null,
        null,
        null);
  }

  /** An environment with the default record serializers. */
  public TaskEnvironment(
      TaskDeployment descriptor,
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
