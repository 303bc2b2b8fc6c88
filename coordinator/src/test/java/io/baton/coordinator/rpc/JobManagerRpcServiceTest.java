package io.baton.coordinator.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.common.config.Configuration;
import io.baton.common.ids.TaskManagerId;
import io.baton.common.rpc.Ack;
import io.baton.common.rpc.Address;
import io.baton.common.rpc.BlobChunk;
import io.baton.common.rpc.BlobRequest;
import io.baton.common.rpc.CheckpointAck;
import io.baton.common.rpc.CheckpointDecline;
import io.baton.common.rpc.IdentifyRequest;
import io.baton.common.rpc.JobManagerServiceGrpc;
import io.baton.common.rpc.JobManagerServiceGrpc.JobManagerServiceBlockingStub;
import io.baton.common.rpc.RegisterTaskManagerRequest;
import io.baton.common.rpc.RegisterTaskManagerResponse;
import io.baton.common.rpc.TaskManagerHeartbeat;
import io.baton.common.rpc.TaskState;
import io.baton.common.rpc.TaskStateUpdate;
import io.baton.coordinator.JobManager;
import io.baton.coordinator.RestEndpoint;
import io.baton.coordinator.TempDirBlobStore;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JobManager's gRPC endpoint, called over loopback as a TaskManager would. */
class JobManagerRpcServiceTest {
  private static final String INSTANCE_ID = "b7c1e0f4-jobmanager-under-test";

  @TempDir Path blobDir;
  private TempDirBlobStore blobStore;
  private JobManager jobManager;
  private ManagedChannel channel;
  private JobManagerServiceBlockingStub stub;

  @BeforeEach
  void start() throws Exception {
    blobStore = new TempDirBlobStore(blobDir);
    jobManager =
        JobManager.builder(
                Configuration.fromMap(
                    Map.of("jobmanager.bind-host", "127.0.0.1", "jobmanager.rpc.port", "0")),
                blobStore)
            .restEndpoint(RestEndpoint.none())
            .instanceId(INSTANCE_ID)
            .start();
    channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", jobManager.rpcPort()).usePlaintext().build();
    stub = JobManagerServiceGrpc.newBlockingStub(channel);
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    jobManager.close();
  }

  private JobManagerServiceBlockingStub call() {
    return stub.withDeadlineAfter(5, TimeUnit.SECONDS);
  }

  @Test
  void identifyAnswersThisProcesssInstanceId() {
    // served on gRPC's thread from a constant: a standby answers the same way
    assertThat(call().identify(IdentifyRequest.getDefaultInstance()).getInstanceId())
        .isEqualTo(INSTANCE_ID);
  }

  @Test
  void downloadBlobStreamsTheJarIn64KiBChunks() throws Exception {
    byte[] jar = new byte[3 * 65536 + 1234];
    new Random(1).nextBytes(jar);
    String key = blobStore.put(new ByteArrayInputStream(jar), "job.jar");

    Iterator<BlobChunk> chunks =
        call().downloadBlob(BlobRequest.newBuilder().setJobId("j").setBlobKey(key).build());
    List<Integer> sizes = new ArrayList<>();
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    chunks.forEachRemaining(
        c -> {
          sizes.add(c.getData().size());
          received.writeBytes(c.getData().toByteArray());
        });

    assertThat(sizes).containsExactly(65536, 65536, 65536, 1234);
    assertThat(received.toByteArray()).isEqualTo(jar);
  }

  @Test
  void downloadingAnUnknownBlobIsNotFound() {
    Iterator<BlobChunk> chunks =
        call().downloadBlob(BlobRequest.newBuilder().setBlobKey("f".repeat(64)).build());

    assertThatThrownBy(chunks::hasNext)
        .isInstanceOf(StatusRuntimeException.class)
        .satisfies(
            e ->
                assertThat(((StatusRuntimeException) e).getStatus().getCode())
                    .isEqualTo(Status.Code.NOT_FOUND))
        .hasMessageContaining("no blob with key");
  }

  @Test
  void checkpointMessagesOfUnknownJobsAreRefused() {
    String job = io.baton.common.ids.JobId.random().toString();
    Ack ack =
        call()
            .acknowledgeCheckpoint(
                CheckpointAck.newBuilder()
                    .setJobId(job)
                    .setExecutionId("1".repeat(32))
                    .setCheckpointId(1)
                    .build());
    Ack decline =
        call()
            .declineCheckpoint(
                CheckpointDecline.newBuilder()
                    .setJobId(job)
                    .setExecutionId("1".repeat(32))
                    .setCheckpointId(1)
                    .build());

    assertThat(ack.getOk()).isFalse();
    assertThat(ack.getError()).isEqualTo("job " + job + " is not running");
    assertThat(decline.getOk()).isFalse();
    assertThat(decline.getError()).isEqualTo("job " + job + " is not running");
  }

  @Test
  void registrationCarriesTheFencingTokenAndHeartbeatsOfStrangersAreUnknown() {
    TaskManagerId id = TaskManagerId.random();
    RegisterTaskManagerResponse registered =
        call()
            .registerTaskManager(
                RegisterTaskManagerRequest.newBuilder()
                    .setTaskManagerId(id.toString())
                    .setRpcAddress(Address.newBuilder().setHost("127.0.0.1").setPort(1))
                    .setNumberOfSlots(1)
                    .build());

    assertThat(registered.getAccepted()).isTrue();
    assertThat(registered.getFencingToken()).isEqualTo(jobManager.fencingToken());
    assertThat(registered.getHeartbeatIntervalMs()).isEqualTo(10_000);
    assertThat(registered.getHeartbeatTimeoutMs()).isEqualTo(50_000);
    assertThat(
            call()
                .heartbeat(
                    TaskManagerHeartbeat.newBuilder()
                        .setTaskManagerId(id.toString())
                        .setRegistrationId(registered.getRegistrationId())
                        .build())
                .getKnown())
        .isTrue();
    assertThat(
            call()
                .heartbeat(
                    TaskManagerHeartbeat.newBuilder()
                        .setTaskManagerId(TaskManagerId.random().toString())
                        .setRegistrationId("stale")
                        .build())
                .getKnown())
        .isFalse();
  }

  @Test
  void taskReportsForUnknownJobsAreRefused() {
    Ack ack =
        call()
            .updateTaskState(
                TaskStateUpdate.newBuilder()
                    .setJobId("0".repeat(32))
                    .setExecutionId("1".repeat(32))
                    .setState(TaskState.RUNNING)
                    .setTaskManagerId(TaskManagerId.random().toString())
                    .build());

    assertThat(ack.getOk()).isFalse();
    assertThat(ack.getError()).contains("is not running");
  }

  @Test
  void malformedTaskMessagesAreRefusedNamingWhatIsWrong() {
    Ack badJob =
        call()
            .updateTaskState(
                TaskStateUpdate.newBuilder()
                    .setJobId("job-1")
                    .setExecutionId("1".repeat(32))
                    .setState(TaskState.RUNNING)
                    .setTaskManagerId(TaskManagerId.random().toString())
                    .build());
    Ack noState =
        call()
            .updateTaskState(
                TaskStateUpdate.newBuilder()
                    .setJobId("0".repeat(32))
                    .setExecutionId("1".repeat(32))
                    .setTaskManagerId(TaskManagerId.random().toString())
                    .build());
    Ack badExecution =
        call()
            .acknowledgeCheckpoint(
                CheckpointAck.newBuilder()
                    .setJobId("0".repeat(32))
                    .setExecutionId("exec-1")
                    .setCheckpointId(1)
                    .build());
    RegisterTaskManagerResponse badTaskManager =
        call()
            .registerTaskManager(
                RegisterTaskManagerRequest.newBuilder()
                    .setTaskManagerId("tm-1")
                    .setRpcAddress(Address.newBuilder().setHost("127.0.0.1").setPort(1))
                    .setNumberOfSlots(1)
                    .build());

    assertThat(badJob.getOk()).isFalse();
    assertThat(badJob.getError()).isEqualTo("invalid job id 'job-1': expected 32 hex digits");
    assertThat(noState.getError())
        .isEqualTo("no task state in the message (TASK_STATE_UNSPECIFIED)");
    assertThat(badExecution.getError())
        .isEqualTo("invalid execution id 'exec-1': expected 32 hex digits");
    assertThat(badTaskManager.getAccepted()).isFalse();
    assertThat(badTaskManager.getError())
        .isEqualTo("invalid TaskManager id 'tm-1': expected 32 hex digits");
  }
}
