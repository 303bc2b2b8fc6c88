package io.baton.taskmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.baton.api.graph.JobGraph;
import io.baton.api.graph.JobVertex;
import io.baton.api.graph.OperatorKind;
import io.baton.api.graph.OperatorSpec;
import io.baton.common.ids.AllocationId;
import io.baton.common.rpc.Ack;
import io.baton.common.rpc.CheckpointAck;
import io.baton.common.rpc.CheckpointNotification;
import io.baton.common.rpc.DeploymentMessages;
import io.baton.common.rpc.StateHandle;
import io.baton.common.rpc.SubmitTaskRequest;
import io.baton.common.rpc.TaskManagerServiceGrpc;
import io.baton.common.rpc.TaskState;
import io.baton.common.rpc.TriggerCheckpointRequest;
import io.baton.taskmanager.executor.TaskFactory;
import io.baton.taskmanager.network.GrpcNetworkEnvironment;
import io.baton.taskmanager.task.CommittingSink;
import io.baton.taskmanager.task.FeedSource;
import io.baton.taskmanager.task.Recorder;
import io.baton.taskmanager.task.TestDeployment;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints through a real TaskManager: JobManager RPCs in, acknowledgements out. */
class CheckpointingTaskManagerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path tmp;

  private FakeJobManager jobManager;
  private TaskManager taskManager;
  private ManagedChannel channel;

  @AfterEach
  void tearDown() {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (taskManager != null) {
      taskManager.close();
    }
    if (jobManager != null) {
      jobManager.close();
    }
  }

  @Test
  void aBoundedTaskIsCheckpointedCommitsAndFinishesAsTheJobManagerTellsIt() throws Exception {
    jobManager = FakeJobManager.onFreePort().start();
    taskManager =
        TaskManager.start(
            TestConfigs.taskManager(jobManager.port, tmp),
            GrpcNetworkEnvironment::new,
            TaskFactory.standard());
    channel =
        NettyChannelBuilder.forAddress("127.0.0.1", taskManager.rpcPort()).usePlaintext().build();
    await().atMost(WAIT).until(() -> !jobManager.heartbeats.isEmpty());
    FeedSource feed = new FeedSource(Recorder.newId());
    CommittingSink sink = new CommittingSink(Recorder.newId());
    JobVertex vertex =
        new JobVertex(
            1,
            "feed -> commit",
            1,
            128,
            List.of(
                new OperatorSpec("feed", "feed", OperatorKind.SOURCE, feed, null),
                new OperatorSpec("commit", "commit", OperatorKind.SINK, sink, null)));
    TestDeployment deployment =
        new TestDeployment(JobGraph.builder("checkpointed").addVertex(vertex).build());
    SubmitTaskRequest request =
        DeploymentMessages.toProto(deployment.descriptor(1, 0), jobManager.fencingToken).toBuilder()
            .setAllocationId(AllocationId.random().value())
            .setSlotIndex(0)
            .putJobConfig("execution.checkpointing.interval", "1 h")
            .putJobConfig("state.checkpoints.dir", tmp.resolve("checkpoints").toUri().toString())
            .build();
    assertThat(service().submitTask(request).getOk()).isTrue();
    await()
        .atMost(WAIT)
        .until(() -> jobManager.statesOf(request.getExecutionId()).contains(TaskState.RUNNING));
    FeedSource.feed(feed.id(), 0, "x", "y");
    FeedSource.end(feed.id(), 0);
    await().atMost(WAIT).until(() -> Recorder.list(feed.ended()).contains(0));
    Path dir = tmp.resolve("checkpoints").resolve(deployment.jobId().value()).resolve("chk-1");

    Ack trigger =
        service()
            .triggerCheckpoint(
                TriggerCheckpointRequest.newBuilder()
                    .setFencingToken(jobManager.fencingToken)
                    .setJobId(request.getJobId())
                    .setExecutionId(request.getExecutionId())
                    .setCheckpointId(1)
                    .setTimestamp(System.currentTimeMillis())
                    .setCheckpointDir(dir.toUri().toString())
                    .build());

    assertThat(trigger.getOk()).isTrue();
    await().atMost(WAIT).until(() -> jobManager.checkpointAcks.size() == 1);
    CheckpointAck ack = jobManager.checkpointAcks.get(0);
    assertThat(ack.getExecutionId()).isEqualTo(request.getExecutionId());
    assertThat(ack.getStateList())
        .extracting(StateHandle::getKind)
        .containsExactly("source", "sink");
    for (StateHandle handle : ack.getStateList()) {
      byte[] bytes = Files.readAllBytes(Path.of(URI.create(handle.getPath())));
      CRC32C crc = new CRC32C();
      crc.update(bytes);
      assertThat(handle.getChecksum()).isEqualTo(crc.getValue());
    }
    assertThat(jobManager.statesOf(request.getExecutionId())).doesNotContain(TaskState.FINISHED);

    Ack complete =
        service()
            .notifyCheckpointComplete(
                CheckpointNotification.newBuilder()
                    .setFencingToken(jobManager.fencingToken)
                    .setJobId(request.getJobId())
                    .setExecutionId(request.getExecutionId())
                    .setCheckpointId(1)
                    .build());

    assertThat(complete.getOk()).isTrue();
    await()
        .atMost(WAIT)
        .until(() -> jobManager.statesOf(request.getExecutionId()).contains(TaskState.FINISHED));
    assertThat(Recorder.list(sink.events()))
        .containsExactly("snapshot 1 0", "commit 1 0", "finish 0");
    assertThat(Recorder.list(sink.records())).containsExactly("x", "y");
  }

  private TaskManagerServiceGrpc.TaskManagerServiceBlockingStub service() {
    return TaskManagerServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }
}
