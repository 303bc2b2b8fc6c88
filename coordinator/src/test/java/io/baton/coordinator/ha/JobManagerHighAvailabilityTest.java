package io.baton.coordinator.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baton.common.config.Configuration;
import io.baton.common.config.IllegalConfigurationException;
import io.baton.common.execution.ExecutionState;
import io.baton.common.ids.JobId;
import io.baton.common.rpc.RegisterTaskManagerResponse;
import io.baton.common.rpc.SubmitTaskRequest;
import io.baton.common.security.TokenDigest;
import io.baton.coordinator.FakeTaskManager;
import io.baton.coordinator.JobManager;
import io.baton.coordinator.JobManagerTestCluster;
import io.baton.coordinator.TempDirBlobStore;
import io.baton.coordinator.jobmaster.JobSubmission;
import io.baton.coordinator.status.JobDetails;
import io.baton.coordinator.status.JobStatus;
import io.baton.ha.CheckpointPointer;
import io.baton.ha.JobResult;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two JobManagers contending on a real ZooKeeper server and sharing their HA stores: failover,
 * recovery, standby answers, revocation and unrecoverable jobs.
 */
class JobManagerHighAvailabilityTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @TempDir Path dir;
  private HaTestCluster cluster;

  @AfterEach
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private HaTestCluster startCluster(Map<String, String> settings) throws Exception {
    cluster = new HaTestCluster(dir, settings);
    return cluster;
  }

  private Map<String, String> checkpointing() {
    Map<String, String> values = new HashMap<>();
    values.put("execution.checkpointing.interval", "100 ms");
    values.put("state.checkpoints.dir", dir.resolve("checkpoints").toUri().toString());
    return values;
  }

  private static JobId submit(JobManager jm) throws Exception {
    return jm.dispatcher()
        .submitJob(
            new JobSubmission(
                JobManagerTestCluster.wordCount(), Optional.of("jar-key"), Optional.empty()))
        .get(5, TimeUnit.SECONDS);
  }

  private static void awaitAllTasksRunning(JobManager jm, JobId id) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                HaTestCluster.job(jm, id)
                    .map(j -> j.taskCounts().get(ExecutionState.RUNNING) == 8)
                    .orElse(false));
  }

  private static JobId runningJob(JobManager jm) throws Exception {
    JobId id = submit(jm);
    awaitAllTasksRunning(jm, id);
    return id;
  }

  private HttpResponse<String> request(JobManager jm, String method, String pathAndQuery)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + jm.restPort() + pathAndQuery))
            .timeout(Duration.ofSeconds(10))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private JsonNode getJson(JobManager jm, String path) throws Exception {
    HttpResponse<String> response = request(jm, "GET", path);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  @Test
  void closingTheLeaderLetsTheStandbyLeadAndRecoverTheJobFromItsLatestCheckpoint()
      throws Exception {
    startCluster(checkpointing());
    JobManager first = cluster.startJobManager();
    assertThat(cluster.awaitLeader()).isSameAs(first);
    JobManager second = cluster.startJobManager();
    cluster.addTaskManager(first, 4);
    cluster.addTaskManager(first, 4);
    JobId id = submit(first);
    awaitAllTasksRunning(first, id);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> cluster.stores.completedCheckpointStore(id).latest().isPresent());
    long completedBeforeFailover =
        cluster.stores.completedCheckpointStore(id).latest().orElseThrow().checkpointId();

    cluster.stop(first);

    await().atMost(Duration.ofSeconds(10)).until(second::isLeader);
    FakeTaskManager tm = cluster.addTaskManager(second, 4);
    cluster.addTaskManager(second, 4);
    awaitAllTasksRunning(second, id);
    JobDetails recovered = HaTestCluster.job(second, id).orElseThrow();
    assertThat(recovered.name()).isEqualTo(JobManagerTestCluster.JOB_NAME);
    assertThat(recovered.status()).isEqualTo(JobStatus.RUNNING);
    assertThat(recovered.recoveries()).isEqualTo(1);
    assertThat(recovered.restoredFrom()).isNotNull();
    long restoredId = recovered.restoredFrom().checkpointId();
    assertThat(restoredId).isGreaterThanOrEqualTo(completedBeforeFailover);
    assertThat(recovered.restoredFrom().path()).endsWith(id + "/chk-" + restoredId);
    assertThat(tm.submitted)
        .extracting(SubmitTaskRequest::getRestoreCheckpointId)
        .containsOnly(restoredId);
    // the new leader's checkpoints go on past the restored one
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                cluster.stores.completedCheckpointStore(id).latest().orElseThrow().checkpointId()
                    > restoredId);

    // the earlier leader's completed checkpoints stay in the job's checkpoint history
    assertThat(
            second
                .dispatcher()
                .requestCheckpointStats(id)
                .get(5, TimeUnit.SECONDS)
                .orElseThrow()
                .history())
        .anySatisfy(
            entry -> {
              assertThat(entry.id()).isEqualTo(restoredId);
              assertThat(entry.status().name()).isEqualTo("COMPLETED");
              // with the figures the earlier leader recorded, not zeros
              assertThat(entry.numSubtasks()).isPositive();
              assertThat(entry.stateSize()).isPositive();
              assertThat(entry.numAcknowledgedSubtasks()).isEqualTo(entry.numSubtasks());
              assertThat(entry.triggerTimestamp()).isPositive();
              assertThat(entry.endToEndDuration())
                  .isEqualTo(entry.latestAckTimestamp() - entry.triggerTimestamp());
            });

    JsonNode job = getJson(second, "/jobs/" + id);
    assertThat(job.get("recoveries").asInt()).isEqualTo(1);
    assertThat(job.get("restoredFrom").get("checkpointId").asLong()).isEqualTo(restoredId);
    assertThat(job.get("name").asText()).isEqualTo(JobManagerTestCluster.JOB_NAME);
  }

  @Test
  void aJobThatEndedIsNotRunAgainByTheNextLeader() throws Exception {
    startCluster(Map.of());
    JobManager first = cluster.startJobManager();
    cluster.awaitLeader();
    JobManager second = cluster.startJobManager();
    cluster.addTaskManager(first, 4);
    cluster.addTaskManager(first, 4);
    cluster.taskManagersOf(first).forEach(tm -> tm.behave(r -> FakeTaskManager.Behavior.FINISH));
    JobId finished = submit(first);
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                HaTestCluster.job(first, finished)
                    .map(JobDetails::status)
                    .equals(Optional.of(JobStatus.FINISHED)));
    assertThat(cluster.stores.jobResultStore().get(finished).orElseThrow().status())
        .isEqualTo("FINISHED");
    assertThat(cluster.stores.jobGraphStore().jobIds()).doesNotContain(finished);
    // a job whose result was recorded by a leader that died before it removed the job graph
    cluster.taskManagersOf(first).forEach(tm -> tm.behave(r -> FakeTaskManager.Behavior.RUN));
    JobId crashedInCleanUp = submit(first);
    awaitAllTasksRunning(first, crashedInCleanUp);
    cluster
        .stores
        .jobResultStore()
        .put(
            new JobResult(
                crashedInCleanUp,
                JobManagerTestCluster.JOB_NAME,
                "FINISHED",
                1L,
                2L,
                Optional.empty()));

    cluster.stop(first);

    await().atMost(Duration.ofSeconds(10)).until(second::isLeader);
    // recovery is over once the leader serves: nothing was started again
    List<JobDetails> jobs = second.dispatcher().listJobs().get(5, TimeUnit.SECONDS);
    assertThat(jobs)
        .extracting(JobDetails::id, JobDetails::status)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(finished, JobStatus.FINISHED),
            org.assertj.core.groups.Tuple.tuple(crashedInCleanUp, JobStatus.FINISHED));
    assertThat(cluster.stores.jobGraphStore().jobIds()).isEmpty();
    JsonNode list = getJson(second, "/jobs");
    assertThat(list.get("jobs").findValuesAsText("status")).containsOnly("FINISHED");
  }

  @Test
  void aStandbyNamesTheLeaderRedirectsWritesAndRefusesTaskManagers() throws Exception {
    startCluster(Map.of());
    JobManager leader = cluster.startJobManager();
    cluster.awaitLeader();
    JobManager standby = cluster.startJobManager();
    String leaderId = "127.0.0.1:" + leader.restPort();
    String leaderUrl = "http://" + leaderId;

    JsonNode own = getJson(leader, "/ha");
    assertThat(own.get("mode").asText()).isEqualTo("zookeeper");
    assertThat(own.get("leader").asBoolean()).isTrue();
    assertThat(own.get("id").asText()).isEqualTo(leaderId);
    assertThat(own.get("leaderId").asText()).isEqualTo(leaderId);
    assertThat(own.get("leaderTokenDigest").asText())
        .isEqualTo(TokenDigest.of(leader.fencingToken()));
    assertThat(own.toString()).doesNotContain(leader.fencingToken());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> getJson(standby, "/ha").get("leaderSince").isNumber());
    JsonNode ha = getJson(standby, "/ha");
    assertThat(ha.get("leader").asBoolean()).isFalse();
    assertThat(ha.get("id").asText()).isEqualTo("127.0.0.1:" + standby.restPort());
    assertThat(ha.get("leaderId").asText()).isEqualTo(leaderId);
    assertThat(ha.get("leaderAddress").asText()).isEqualTo("127.0.0.1:" + leader.rpcPort());
    assertThat(ha.get("leaderRestUrl").asText()).isEqualTo(leaderUrl);
    assertThat(ha.get("leaderTokenDigest").asText())
        .isEqualTo(TokenDigest.of(leader.fencingToken()));
    assertThat(ha.toString()).doesNotContain(leader.fencingToken());
    assertThat(ha.get("leaderSince").asLong()).isPositive();
    assertThat(ha.has("contenders")).isTrue();

    HttpResponse<String> upload = request(standby, "POST", "/jars/upload");
    assertThat(upload.statusCode()).isEqualTo(307);
    assertThat(upload.headers().firstValue("Location")).contains(leaderUrl + "/jars/upload");
    HttpResponse<String> cancel = request(standby, "PATCH", "/jobs/abc?mode=cancel");
    assertThat(cancel.statusCode()).isEqualTo(307);
    assertThat(cancel.headers().firstValue("Location"))
        .contains(leaderUrl + "/jobs/abc?mode=cancel");

    JsonNode jobs = getJson(standby, "/jobs");
    assertThat(fieldNames(jobs))
        .containsExactlyInAnyOrder("leader", "leaderId", "leaderAddress", "leaderRestUrl");
    assertThat(jobs.get("leader").asBoolean()).isFalse();
    assertThat(jobs.get("leaderRestUrl").asText()).isEqualTo(leaderUrl);

    assertThat(request(standby, "GET", "/metrics").body()).contains("baton_jobmanager_leader 0.0");
    assertThat(request(leader, "GET", "/metrics").body()).contains("baton_jobmanager_leader 1.0");

    FakeTaskManager lost = new FakeTaskManager(standby.rpcPort());
    try {
      RegisterTaskManagerResponse response = lost.register(2, 100);
      assertThat(response.getAccepted()).isFalse();
      assertThat(response.getError()).isEqualTo("not the leader");
    } finally {
      lost.close();
    }
  }

  @Test
  void withoutZooKeeperNobodyLeadsAndWritesAreAnsweredWith503UntilItIsBack() throws Exception {
    startCluster(Map.of());
    JobManager first = cluster.startJobManager();
    cluster.awaitLeader();
    JobManager second = cluster.startJobManager();

    cluster.zooKeeper.stop();

    await().atMost(Duration.ofSeconds(10)).until(() -> !first.isLeader());
    for (JobManager jm : List.of(first, second)) {
      HttpResponse<String> upload = request(jm, "POST", "/jars/upload");
      assertThat(upload.statusCode()).isEqualTo(503);
      assertThat(JSON.readTree(upload.body()).get("errors").get(0).asText())
          .isEqualTo("no leader elected");
      JsonNode ha = getJson(jm, "/ha");
      assertThat(ha.get("leader").asBoolean()).isFalse();
      assertThat(ha.get("leaderId").isNull()).isTrue();
      assertThat(ha.get("leaderTokenDigest").isNull()).isTrue();
    }

    cluster.zooKeeper.restart();
    JobManager next = cluster.awaitLeader();
    assertThat(next.fencingToken()).isNotNull();
    assertThat(getJson(next, "/ha").get("leader").asBoolean()).isTrue();
  }

  @Test
  void aStoppedLeaderLeavesItsTasksRunningForItsSuccessorToAdopt() throws Exception {
    startCluster(checkpointing());
    JobManager first = cluster.startJobManager();
    assertThat(cluster.awaitLeader()).isSameAs(first);
    FakeTaskManager tm1 = cluster.addTaskManager(first, 4);
    FakeTaskManager tm2 = cluster.addTaskManager(first, 4);
    JobId id = runningJob(first);

    // as on SIGTERM: leaves the election, suspends its jobs, stops; its TaskManagers stay up
    first.close();

    assertThat(tm1.cancelled).as("tasks cancelled by the stopped leader").isEmpty();
    assertThat(tm2.cancelled).as("tasks cancelled by the stopped leader").isEmpty();
    assertThat(tm1.freed).as("slots freed by the stopped leader").isEmpty();
    assertThat(tm2.freed).as("slots freed by the stopped leader").isEmpty();
    assertThat(cluster.stores.jobGraphStore().jobIds()).containsExactly(id);
    assertThat(cluster.stores.jobResultStore().get(id)).isEmpty();
  }

  @Test
  void aStoppedLeaderCancelsItsTasksWhenReconciliationIsOff() throws Exception {
    Map<String, String> settings = checkpointing();
    settings.put("jobmanager.failover.reconcile", "false");
    startCluster(settings);
    JobManager first = cluster.startJobManager();
    assertThat(cluster.awaitLeader()).isSameAs(first);
    FakeTaskManager tm1 = cluster.addTaskManager(first, 4);
    FakeTaskManager tm2 = cluster.addTaskManager(first, 4);
    runningJob(first);

    first.close();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> tm1.cancelled.size() + tm2.cancelled.size() == 8);
  }

  @Test
  void revokedLeadershipSuspendsTheJobWithoutAResultAndTheNextLeaderRecoversIt() throws Exception {
    startCluster(checkpointing());
    JobManager first = cluster.startJobManager();
    cluster.awaitLeader();
    FakeTaskManager tm1 = cluster.addTaskManager(first, 4);
    FakeTaskManager tm2 = cluster.addTaskManager(first, 4);
    JobId id = submit(first);
    awaitAllTasksRunning(first, id);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> cluster.stores.completedCheckpointStore(id).latest().isPresent());

    // the connection to ZooKeeper is lost: leadership is revoked (suspended is not tolerated)
    cluster.zooKeeper.stop();

    await().atMost(Duration.ofSeconds(10)).until(() -> !first.isLeader());
    assertThat(first.fencingToken()).isNull();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> tm1.cancelled.size() + tm2.cancelled.size() == 8);
    assertThat(cluster.stores.jobResultStore().get(id)).isEmpty();
    assertThat(cluster.stores.jobGraphStore().jobIds()).containsExactly(id);
    List<CheckpointPointer> kept = cluster.stores.completedCheckpointStore(id).all();
    assertThat(kept).isNotEmpty();
    assertThat(Path.of(URI.create(kept.get(kept.size() - 1).directory()))).isDirectory();
    assertThat(first.dispatcher().listJobs())
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withMessageContaining("not the leader");

    cluster.zooKeeper.restart();
    JobManager next = cluster.awaitLeader();
    cluster.addTaskManager(next, 8);
    awaitAllTasksRunning(next, id);
    assertThat(HaTestCluster.job(next, id).orElseThrow().recoveries()).isEqualTo(1);
  }

  @Test
  void aJobWhoseStoredGraphIsGarbledIsMarkedFailedWhileTheOthersRecover() throws Exception {
    startCluster(Map.of());
    JobManager first = cluster.startJobManager();
    cluster.awaitLeader();
    JobManager second = cluster.startJobManager();
    cluster.addTaskManager(first, 4);
    JobId good = submit(first);
    JobId garbled = JobId.random();
    cluster.stores.jobGraphStore().put(garbled, "not a job graph".getBytes(StandardCharsets.UTF_8));

    cluster.stop(first);

    await().atMost(Duration.ofSeconds(10)).until(second::isLeader);
    cluster.addTaskManager(second, 4);
    awaitAllTasksRunning(second, good);
    JobDetails failed = HaTestCluster.job(second, garbled).orElseThrow();
    assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
    assertThat(failed.failureCause())
        .contains("cannot recover the job")
        .contains("garbled job graph");
    JobResult result = cluster.stores.jobResultStore().get(garbled).orElseThrow();
    assertThat(result.status()).isEqualTo("FAILED");
    assertThat(result.failureCause().orElseThrow()).contains("garbled job graph");
    assertThat(cluster.stores.jobGraphStore().jobIds()).containsExactly(good);
    assertThat(HaTestCluster.job(second, good).orElseThrow().recoveries()).isEqualTo(1);
  }

  @Test
  void startUpFailsWithOneLineWithoutStorageDirOrReachableQuorum() throws Exception {
    Map<String, String> values = new HashMap<>();
    values.put("high-availability.type", "zookeeper");
    values.put("jobmanager.rpc.port", "0");
    values.put("rest.port", "0");
    values.put("high-availability.zookeeper.quorum", "127.0.0.1:" + freePort());
    values.put("high-availability.zookeeper.client.connection-timeout", "1 s");
    values.put("high-availability.zookeeper.client.max-retry-attempts", "0");
    assertThatThrownBy(
            () ->
                JobManager.builder(Configuration.fromMap(values), new TempDirBlobStore(dir))
                    .start())
        .isInstanceOf(IllegalConfigurationException.class)
        .hasMessageStartingWith("high-availability.storageDir is required");

    values.put("high-availability.storageDir", dir.resolve("ha").toUri().toString());
    assertThatThrownBy(
            () ->
                JobManager.builder(Configuration.fromMap(values), new TempDirBlobStore(dir))
                    .start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Cannot reach ZooKeeper quorum")
        .hasMessageContaining("high-availability.zookeeper.quorum");
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
