package io.baton.coordinator.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import io.baton.coordinator.program.TestJars;
import io.baton.coordinator.program.TestJobs;
import io.baton.coordinator.rest.TestHttp;
import io.baton.coordinator.status.JobDetails;
import io.baton.coordinator.status.JobStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recovery of a job from its jar, and a leader whose store writes are refused. */
class JobRecoveryTest {
  @TempDir Path dir;
  private HaTestCluster cluster;
  private JobManager standalone;
  private final java.util.List<FakeTaskManager> fakes = new java.util.ArrayList<>();
  private FencedStores fenced;

  @AfterEach
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    if (standalone != null) {
      standalone.close();
    }
    fakes.forEach(FakeTaskManager::close);
  }

  @Test
  void aJobRunFromAnUploadedJarIsRecoveredWithTheJarFromTheJobJarStore() throws Exception {
    cluster = new HaTestCluster(dir, Map.of());
    JobManager first = cluster.startJobManager();
    cluster.awaitLeader();
    JobManager second = cluster.startJobManager();
    cluster.addTaskManager(first, 2);
    TestHttp firstHttp = new TestHttp(first.restPort());
    byte[] jar = Files.readAllBytes(TestJars.jobJar(dir.resolve("job.jar"), TestJobs.Good.class));
    String jarId = firstHttp.upload("job.jar", jar).json().get("filename").asText();
    TestHttp.Response run =
        firstHttp.post("/jars/" + jarId + "/run", "{\"programArgs\":\"from jar\"}");
    assertThat(run.status()).as(run.body()).isEqualTo(200);
    JobId id = JobId.parse(run.json().get("jobid").asText());
    String key = jarId.substring(0, jarId.indexOf('_'));
    assertThat(cluster.stores.jobJarStore().contains(key)).isTrue();

    cluster.stop(first);

    await().atMost(Duration.ofSeconds(10)).until(second::isLeader);
    FakeTaskManager tm = cluster.addTaskManager(second, 2);
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                HaTestCluster.job(second, id)
                    .map(j -> j.taskCounts().get(ExecutionState.RUNNING) == 4)
                    .orElse(false));
    JobDetails recovered = HaTestCluster.job(second, id).orElseThrow();
    assertThat(recovered.name()).isEqualTo("from jar");
    assertThat(recovered.recoveries()).isEqualTo(1);
    assertThat(tm.submitted).extracting(SubmitTaskRequest::getBlobKey).containsOnly(key);
    // the new leader serves the jar to its TaskManagers from its own jar store now
    assertThat(new TestHttp(second.restPort()).get("/jars").body()).contains(key);
  }

  @Test
  void aStoreWriteRefusedForLostLeadershipSuspendsTheJobAndLeavesItsTasksToTheNextLeader()
      throws Exception {
    JobId id = runUntilDeposed(Map.of());

    await().atMost(Duration.ofSeconds(10)).until(() -> status(id) == JobStatus.SUSPENDED);
    // with reconciliation (the default) the next leader adopts the tasks as they run
    assertThat(fakes.get(0).cancelled).as("tasks cancelled by the deposed leader").isEmpty();
    assertThat(fakes.get(1).cancelled).as("tasks cancelled by the deposed leader").isEmpty();
    assertThat(fakes.get(0).freed).as("slots freed by the deposed leader").isEmpty();
    assertThat(fakes.get(1).freed).as("slots freed by the deposed leader").isEmpty();
    assertKeptForTheNextLeader(id);
  }

  @Test
  void aStoreWriteRefusedForLostLeadershipSuspendsTheJobInsteadOfFailingIt() throws Exception {
    JobId id = runUntilDeposed(Map.of("jobmanager.failover.reconcile", "false"));

    await().atMost(Duration.ofSeconds(10)).until(() -> status(id) == JobStatus.SUSPENDED);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> fakes.get(0).cancelled.size() + fakes.get(1).cancelled.size() == 8);
    assertKeptForTheNextLeader(id);
  }

  /** A job stored in fenced stores runs with a checkpoint, then the stores refuse every write. */
  private JobId runUntilDeposed(Map<String, String> settings) throws Exception {
    FencedStores stores = new FencedStores();
    this.fenced = stores;
    Map<String, String> values = new HashMap<>(settings);
    values.put("jobmanager.bind-host", "127.0.0.1");
    values.put("jobmanager.rpc.port", "0");
    values.put("heartbeat.interval", "100 ms");
    values.put("heartbeat.timeout", "10 s");
    values.put("task.cancellation.timeout", "2 s");
    values.put("execution.checkpointing.interval", "100 ms");
    values.put("state.checkpoints.dir", dir.resolve("checkpoints").toUri().toString());
    standalone =
        JobManager.builder(Configuration.fromMap(values), new TempDirBlobStore(dir))
            .restEndpoint(RestEndpoint.none())
            .rpcTimeout(Duration.ofSeconds(2))
            .leaderStores((election, sessionId) -> stores)
            .start();
    for (int i = 0; i < 2; i++) {
      FakeTaskManager tm = new FakeTaskManager(standalone.rpcPort());
      tm.behave(r -> FakeTaskManager.Behavior.RUN);
      tm.onTrigger(trigger -> fakes.forEach(f -> f.snapshot(trigger)));
      fakes.add(tm);
      tm.register(4, 100);
    }
    JobId id =
        standalone
            .dispatcher()
            .submitJob(
                new JobSubmission(
                    JobManagerTestCluster.wordCount(), Optional.of("jar-key"), Optional.empty()))
            .get(5, TimeUnit.SECONDS);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> stores.inner.completedCheckpointStore(id).latest().isPresent());

    stores.depose();
    return id;
  }

  /** The suspended job left no result and kept its graph and checkpoints for the next leader. */
  private void assertKeptForTheNextLeader(JobId id) throws Exception {
    FencedStores stores = fenced;
    assertThat(stores.inner.jobResultStore().get(id)).isEmpty();
    assertThat(stores.inner.jobGraphStore().jobIds()).containsExactly(id);
    assertThat(stores.inner.completedCheckpointStore(id).all()).isNotEmpty();
    String latest = stores.inner.completedCheckpointStore(id).latest().orElseThrow().directory();
    assertThat(Path.of(java.net.URI.create(latest))).isDirectory();
  }

  @Test
  void aSubmissionWhoseJobGraphCannotBeStoredIsRefusedWithOneLine() throws Exception {
    FencedStores stores = new FencedStores();
    Map<String, String> values = new HashMap<>();
    values.put("jobmanager.bind-host", "127.0.0.1");
    values.put("jobmanager.rpc.port", "0");
    standalone =
        JobManager.builder(Configuration.fromMap(values), new TempDirBlobStore(dir))
            .restEndpoint(RestEndpoint.none())
            .leaderStores((election, sessionId) -> stores)
            .start();
    stores.depose();

    assertThat(
            standalone
                .dispatcher()
                .submitJob(
                    new JobSubmission(
                        JobManagerTestCluster.wordCount(),
                        Optional.of("jar-key"),
                        Optional.empty())))
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .havingCause()
        .withMessage(
            "cannot store job 'word-count' for high availability: latch node gone: a newer leader"
                + " owns the stores");
    assertThat(standalone.dispatcher().listJobs().get(5, TimeUnit.SECONDS)).isEmpty();
    assertThat(stores.inner.jobGraphStore().jobIds()).isEmpty();
  }

  private JobStatus status(JobId id) {
    try {
      return standalone.dispatcher().requestJob(id).get(5, TimeUnit.SECONDS).orElseThrow().status();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
