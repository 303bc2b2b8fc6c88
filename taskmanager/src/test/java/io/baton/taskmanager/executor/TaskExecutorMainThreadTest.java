package io.baton.taskmanager.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.common.config.Configuration;
import io.baton.common.config.JobManagerOptions;
import io.baton.common.config.TaskManagerOptions;
import io.baton.common.ids.ExecutionId;
import io.baton.common.ids.JobId;
import io.baton.common.ids.TaskManagerId;
import io.baton.common.rpc.Ack;
import io.baton.common.rpc.CancelTaskRequest;
import io.baton.common.rpc.DeploymentMessages;
import io.baton.taskmanager.network.GrpcNetworkEnvironment;
import io.baton.taskmanager.rpc.GrpcJobManagerGateway;
import io.baton.taskmanager.rpc.TaskManagerRpcService;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TaskExecutor's state is confined to its main thread, and says so when called off it. */
class TaskExecutorMainThreadTest {
  @TempDir Path workDir;

  @Test
  void anRpcHandlerCalledOffTheMainThreadFailsNamingTheTaskExecutorAndTheThread() throws Exception {
    Configuration config =
        new Configuration()
            .set(JobManagerOptions.ADDRESS, "127.0.0.1")
            .set(JobManagerOptions.PORT, 1)
            .set(TaskManagerOptions.NUM_TASK_SLOTS, 1);
    TaskManagerId id = TaskManagerId.random();
    try (GrpcNetworkEnvironment network = new GrpcNetworkEnvironment(config, id.value());
        TaskExecutor executor =
            new TaskExecutor(
                config,
                id,
                network,
                TaskFactory.standard(),
                workDir,
                GrpcJobManagerGateway.toConfiguredAddress(config),
                (job, blobKey, target) -> {
                  throw new IOException("no jars in this test");
                })) {
      CancelTaskRequest cancel =
          CancelTaskRequest.newBuilder()
              .setJobId(JobId.random().value())
              .setExecutionId(ExecutionId.random().toString())
              .build();

      assertThatThrownBy(() -> executor.cancelTask(DeploymentMessages.fromProto(cancel)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "TaskExecutor "
                  + id
                  + " was called on thread '"
                  + Thread.currentThread().getName()
                  + "', but only its main thread 'baton-tm-main-"
                  + id.value().substring(0, 8)
                  + "' may touch its state");

      // the RPC service hands the same call to the main thread, where it is answered
      CompletableFuture<Ack> answer = new CompletableFuture<>();
      new TaskManagerRpcService(executor)
          .cancelTask(
              cancel,
              new StreamObserver<>() {
                @Override
                public void onNext(Ack ack) {
                  answer.complete(ack);
                }

                @Override
                public void onError(Throwable error) {
                  answer.completeExceptionally(error);
                }

                @Override
                public void onCompleted() {}
              });
      assertThat(answer.get(5, TimeUnit.SECONDS).getError())
          .startsWith("rejected: fencing token")
          .contains("<none: not registered yet>");
    }
  }
}
