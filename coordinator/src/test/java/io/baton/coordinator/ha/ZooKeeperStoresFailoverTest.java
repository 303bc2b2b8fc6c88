package io.baton.coordinator.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baton.common.config.Configuration;
import io.baton.common.execution.ExecutionState;
import io.baton.common.ids.JobId;
import io.baton.common.rpc.SubmitTaskRequest;
import io.baton.coordinator.FakeTaskManager;
import io.baton.coordinator.JobManager;
import io.baton.coordinator.JobManagerTestCluster;
import io.baton.coordinator.RestEndpoint;
import io.baton.coordinator.TempDirBlobStore;
import io.baton.coordinator.jobmaster.JobSubmission;
import io.baton.coordinator.status.JobDetails;
import io.baton.coordinator.status.JobStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover between two JobManagers that keep their jobs, results and checkpoints in the ZooKeeper
 * stores under a real storage directory (no shared in-memory stores).
 */
class ZooKeeperStoresFailoverTest {
  @TempDir Path dir;
  private TestingServer zooKeeper;
  private final List<JobManager> jobManagers = new ArrayList<>();
  private final List<FakeTaskManager> taskManagers = new ArrayList<>();
  private final Set<String> snapshotted = ConcurrentHashMap.newKeySet();

  @AfterEach
  void stop() throws Exception {
    jobManagers.forEach(JobManager::close);
    taskManagers.forEach(FakeTaskManager::close);
    if (zooKeeper != null) {
      zooKeeper.close();
    }
  }

  private Map<String, String> settings() throws Exception {
    Map<String, String> values = new HashMap<>();
    values.put("high-availability.type", "zookeeper");
    values.put("high-availability.zookeeper.quorum", zooKeeper.getConnectString());
    values.put("high-availability.cluster-id", "test-" + UUID.randomUUID());
    values.put(
        "high-availability.storageDir",
        Files.createDirectories(dir.resolve("ha")).toUri().toString());
    values.put("high-availability.zookeeper.client.session-timeout", "10 s");
    values.put("jobmanager.rpc.address", "127.0.0.1");
    values.put("jobmanager.bind-host", "127.0.0.1");
    values.put("jobmanager.rpc.port", "0");
    values.put("rest.address", "127.0.0.1");
    values.put("rest.bind-address", "127.0.0.1");
    values.put("rest.port", "0");
    values.put("heartbeat.interval", "100 ms");
    values.put("heartbeat.timeout", "10 s");
    values.put("task.cancellation.timeout", "2 s");
    // the fake TaskManagers of a stopped JobManager never re-register with its successor, which
    // would wait the default 10 s for their reports before it restores the job from its checkpoint
    values.put("jobmanager.reconciliation.timeout", "1 s");
    values.put("execution.checkpointing.interval", "100 ms");
    values.put("state.checkpoints.dir", dir.resolve("checkpoints").toUri().toString());
    return values;
  }

  private JobManager start(Map<String, String> settings) throws Exception {
    JobManager jm =
        JobManager.builder(
                Configuration.fromMap(settings),
                new TempDirBlobStore(Files.createTempDirectory(dir, "jars")))
            .restEndpoint(RestEndpoint.restServer())
            .rpcTimeout(Duration.ofSeconds(2))
            .start();
    jobManagers.add(jm);
    return jm;
  }

  private FakeTaskManager addTaskManager(JobManager jm, List<FakeTaskManager> fellows)
      throws Exception {
    FakeTaskManager tm = new FakeTaskManager(jm.rpcPort());
    tm.onTrigger(
        trigger -> {
          if (snapshotted.add(trigger.getJobId() + "/" + trigger.getCheckpointId())) {
            fellows.forEach(t -> t.snapshot(trigger));
          }
        });
    tm.behave(r -> FakeTaskManager.Behavior.RUN);
    fellows.add(tm);
    taskManagers.add(tm);
    tm.register(4, 100);
    return tm;
  }

  @Test
  void theStandbyRecoversTheJobFromTheZooKeeperStoresAndItsLatestCheckpoint() throws Exception {
    zooKeeper = new TestingServer(true);
    Map<String, String> settings = settings();
    JobManager first = start(settings);
    await().atMost(Duration.ofSeconds(20)).until(first::isLeader);
    String firstId = "127.0.0.1:" + first.restPort();
    JobManager second = start(settings);
    List<FakeTaskManager> firstTms = new ArrayList<>();
    addTaskManager(first, firstTms);
    addTaskManager(first, firstTms);
    JobId id =
        first
            .dispatcher()
            .submitJob(
                new JobSubmission(
                    JobManagerTestCluster.wordCount(), Optional.of("jar-key"), Optional.empty()))
            .get(5, TimeUnit.SECONDS);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                first
                        .dispatcher()
                        .requestJob(id)
                        .get()
                        .orElseThrow()
                        .taskCounts()
                        .get(ExecutionState.RUNNING)
                    == 8);
    await().atMost(Duration.ofSeconds(10)).until(() -> firstTms.get(0).completed.size() >= 2);

    first.close();
    jobManagers.remove(first);
    firstTms.forEach(FakeTaskManager::close);

    await().atMost(Duration.ofSeconds(10)).until(second::isLeader);
    List<FakeTaskManager> secondTms = new ArrayList<>();
    FakeTaskManager tm = addTaskManager(second, secondTms);
    addTaskManager(second, secondTms);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                second
                    .dispatcher()
                    .requestJob(id)
                    .get()
                    .map(j -> j.taskCounts().get(ExecutionState.RUNNING) == 8)
                    .orElse(false));
    JobDetails recovered = second.dispatcher().requestJob(id).get().orElseThrow();
    assertThat(recovered.recoveries()).isEqualTo(1);
    assertThat(recovered.restoredFrom()).isNotNull();
    assertThat(tm.submitted)
        .extracting(SubmitTaskRequest::getRestoreCheckpointId)
        .containsOnly(recovered.restoredFrom().checkpointId());
    assertThat(second.haStatus().contenders()).containsExactly("127.0.0.1:" + second.restPort());
    // the cluster keeps the takeover in its failover history, which any JobManager serves
    JsonNode entry =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> get(second, "/ha/history").path("entries").path(0),
                e -> e.has("jobs") && e.path("previousLeaderId").asText().equals(firstId));
    assertThat(entry.path("leaderId").asText()).isEqualTo("127.0.0.1:" + second.restPort());
    assertThat(entry.path("detection").asText()).isEqualTo("GRACEFUL_STOP");
    assertThat(entry.path("detectionMs").isNumber()).isTrue();
    JsonNode job = entry.path("jobs").path(0);
    assertThat(job.path("jobId").asText()).isEqualTo(id.value());
    assertThat(job.path("outcome").asText()).isEqualTo("RESTORED");
    assertThat(job.path("checkpointId").asLong())
        .isEqualTo(recovered.restoredFrom().checkpointId());
    assertThat(job.path("msToRunning").asLong()).isBetween(0L, 20_000L);
    JsonNode health = get(second, "/ha/health");
    assertThat(health.path("zookeeper").path("state").asText()).isEqualTo("CONNECTED");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> get(second, "/ha/health").path("storage").path("state").asText(),
            "REACHABLE"::equals);

    second.dispatcher().cancelJob(id).get(5, TimeUnit.SECONDS);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                second.dispatcher().requestJob(id).get().orElseThrow().status()
                    == JobStatus.CANCELED);
    // a third JobManager takes over and does not run the cancelled job again
    JobManager third = start(settings);
    second.close();
    jobManagers.remove(second);
    await().atMost(Duration.ofSeconds(10)).until(third::isLeader);
    assertThat(third.dispatcher().listJobs().get(5, TimeUnit.SECONDS))
        .extracting(JobDetails::id, JobDetails::status)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(id, JobStatus.CANCELED));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> get(third, "/ha/history").path("entries").size() == 3);
    JsonNode history = get(third, "/ha/history").path("entries");
    assertThat(history.path(0).path("previousLeaderId").asText())
        .isEqualTo("127.0.0.1:" + second.restPort());
    assertThat(history.path(2).path("detection").asText()).isEqualTo("FIRST_LEADER");
  }

  private static JsonNode get(JobManager jm, String path) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + jm.restPort() + path))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new ObjectMapper().readTree(response.body());
  }

  @Test
  void aJobWhoseGraphFileIsGoneIsMarkedFailedWithThePathWhileTheOtherRecovers() throws Exception {
    zooKeeper = new TestingServer(true);
    Map<String, String> settings = settings();
    settings.remove("execution.checkpointing.interval");
    JobManager first = start(settings);
    await().atMost(Duration.ofSeconds(20)).until(first::isLeader);
    JobManager second = start(settings);
    List<FakeTaskManager> firstTms = new ArrayList<>();
    addTaskManager(first, firstTms);
    addTaskManager(first, firstTms);
    JobId kept = submit(first);
    JobId lost = submit(first);
    Path graphs = Path.of(java.net.URI.create(settings.get("high-availability.storageDir")));
    List<Path> lostFiles;
    try (java.util.stream.Stream<Path> files = Files.walk(graphs)) {
      lostFiles =
          files
              .filter(Files::isRegularFile)
              .filter(f -> f.getParent().getFileName().toString().equals("jobgraphs"))
              .filter(f -> f.getFileName().toString().startsWith(lost.value()))
              .toList();
    }
    assertThat(lostFiles).hasSize(1);
    Files.delete(lostFiles.get(0));

    first.close();
    jobManagers.remove(first);
    firstTms.forEach(FakeTaskManager::close);

    await().atMost(Duration.ofSeconds(10)).until(second::isLeader);
    addTaskManager(second, new ArrayList<>());
    JobDetails failed = second.dispatcher().requestJob(lost).get(5, TimeUnit.SECONDS).orElseThrow();
    assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
    assertThat(failed.failureCause()).contains("cannot recover the job").contains("jobgraphs");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                second
                    .dispatcher()
                    .requestJob(kept)
                    .get()
                    .map(
                        j -> j.taskCounts().get(ExecutionState.RUNNING) == 8 && j.recoveries() == 1)
                    .orElse(false));

    // the failure is recorded: a third leader lists it and does not try again
    JobManager third = start(settings);
    second.close();
    jobManagers.remove(second);
    await().atMost(Duration.ofSeconds(10)).until(third::isLeader);
    assertThat(third.dispatcher().requestJob(lost).get(5, TimeUnit.SECONDS).orElseThrow().status())
        .isEqualTo(JobStatus.FAILED);
  }

  private static JobId submit(JobManager jm) throws Exception {
    return jm.dispatcher()
        .submitJob(
            new JobSubmission(
                JobManagerTestCluster.wordCount(), Optional.of("jar-key"), Optional.empty()))
        .get(5, TimeUnit.SECONDS);
  }
}
