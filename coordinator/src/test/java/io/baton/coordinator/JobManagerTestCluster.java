package io.baton.coordinator;

import static org.awaitility.Awaitility.await;

import io.baton.api.functions.KeySelector;
import io.baton.api.graph.InvalidJobGraphException;
import io.baton.api.graph.JobGraph;
import io.baton.api.graph.JobVertex;
import io.baton.api.graph.OperatorKind;
import io.baton.api.graph.OperatorSpec;
import io.baton.api.graph.Partitioning;
import io.baton.common.config.Configuration;
import io.baton.common.execution.ExecutionState;
import io.baton.common.ids.JobId;
import io.baton.coordinator.jobmaster.JobSubmission;
import io.baton.coordinator.status.JobDetails;
import io.baton.coordinator.status.JobStatus;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** A JobManager on loopback with fake TaskManagers, and the job the tests run on it. */
public final class JobManagerTestCluster implements AutoCloseable {
  public static final long HEARTBEAT_INTERVAL_MS = 100;
  public static final long HEARTBEAT_TIMEOUT_MS = 1500;
  public static final String JOB_NAME = "word-count";

  public final JobManager jobManager;
  public final List<FakeTaskManager> taskManagers =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private final java.util.Set<String> snapshotted =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  public JobManagerTestCluster(Path blobDir, Map<String, String> settings) throws Exception {
    this(blobDir, settings, false);
  }

  /**
   * @param withRest also serve the REST API on a free loopback port ({@link JobManager#restPort})
   */
  public JobManagerTestCluster(Path blobDir, Map<String, String> settings, boolean withRest)
      throws Exception {
    Map<String, String> values = new HashMap<>();
    values.put("jobmanager.bind-host", "127.0.0.1");
    values.put("jobmanager.rpc.port", "0");
    values.put("heartbeat.interval", HEARTBEAT_INTERVAL_MS + " ms");
    values.put("heartbeat.timeout", HEARTBEAT_TIMEOUT_MS + " ms");
    values.put("slot.request.timeout", "10 s");
    values.put("task.cancellation.timeout", "2 s");
    values.put("rest.bind-address", "127.0.0.1");
    values.put("rest.port", "0");
    values.putAll(settings);
    jobManager =
        JobManager.builder(Configuration.fromMap(values), new TempDirBlobStore(blobDir))
            .restEndpoint(withRest ? RestEndpoint.restServer() : RestEndpoint.none())
            .rpcTimeout(Duration.ofSeconds(2))
            .start();
  }

  /**
   * A JobManager with REST that checkpoints every 100 ms into {@code checkpointDir} and writes
   * savepoints without a target into {@code savepointDir}, with two fake TaskManagers of 4 slots
   * each that run every task they get.
   */
  public static JobManagerTestCluster checkpointing(
      Path blobDir, Path checkpointDir, Path savepointDir) throws Exception {
    JobManagerTestCluster cluster =
        new JobManagerTestCluster(
            blobDir,
            Map.of(
                "execution.checkpointing.interval",
                "100 ms",
                "state.checkpoints.dir",
                checkpointDir.toUri().toString(),
                "state.savepoints.dir",
                savepointDir.toUri().toString(),
                "heartbeat.timeout",
                "10 s"),
            true);
    cluster.addTaskManager(4).behave(r -> FakeTaskManager.Behavior.RUN);
    cluster.addTaskManager(4).behave(r -> FakeTaskManager.Behavior.RUN);
    return cluster;
  }

  /** Submits {@link #wordCount(int, Map) word count} with parallelism 3; returns once it runs. */
  public JobId runningWordCount() throws Exception {
    JobId id = submit(wordCount(3, Map.of()));
    awaitAllTasks(id, ExecutionState.RUNNING);
    return id;
  }

  /**
   * Starts a fake TaskManager that registers with {@code slots} slots and heartbeats. A checkpoint
   * triggered at any of them reaches the tasks of every fake (once per checkpoint), as barriers
   * would flow from the sources to every task.
   */
  public FakeTaskManager addTaskManager(int slots) throws Exception {
    FakeTaskManager tm = new FakeTaskManager(jobManager.rpcPort());
    tm.onTrigger(
        trigger -> {
          if (snapshotted.add(trigger.getJobId() + "/" + trigger.getCheckpointId())) {
            taskManagers.forEach(t -> t.snapshot(trigger));
          }
        });
    taskManagers.add(tm);
    tm.register(slots, HEARTBEAT_INTERVAL_MS);
    return tm;
  }

  /**
   * source (parallelism 2) -HASH-> count (3, max 64) -FORWARD-> sink (3, max 32): 8 tasks in 3
   * slots.
   */
  public static JobGraph wordCount() throws InvalidJobGraphException {
    return wordCount(3, Map.of());
  }

  /**
   * source (parallelism 2) -HASH-> count ({@code parallelism}, max 64) -FORWARD-> sink ({@code
   * parallelism}, max 32), with {@code config} as the job's configuration.
   */
  public static JobGraph wordCount(int parallelism, Map<String, String> config)
      throws InvalidJobGraphException {
    KeySelector<String, String> key = s -> s;
    JobGraph.Builder builder =
        JobGraph.builder(JOB_NAME)
            .addVertex(vertex(1, "source", 2, 128, OperatorKind.SOURCE, null))
            .addVertex(vertex(2, "count", parallelism, 64, OperatorKind.KEYED_PROCESS, key))
            .addVertex(vertex(3, "sink", parallelism, 32, OperatorKind.SINK, null))
            .connect(1, 2, Partitioning.HASH, key)
            .connect(2, 3, Partitioning.FORWARD, null)
            .setConfig("execution.buffer-timeout", "5 ms");
    config.forEach(builder::setConfig);
    return builder.build().validate(1024);
  }

  private static JobVertex vertex(
      int id,
      String name,
      int parallelism,
      int maxParallelism,
      OperatorKind kind,
      KeySelector<?, ?> key) {
    return new JobVertex(
        id,
        name,
        parallelism,
        maxParallelism,
        List.of(new OperatorSpec(name + "-uid", name, kind, new NoOp(), key)));
  }

  /** Stands in for a user function; the fake TaskManagers never run it. */
  record NoOp() implements Serializable {}

  public JobId submit(JobGraph graph) throws Exception {
    return submit(graph, Optional.empty());
  }

  /** Submits a job that starts from a savepoint or retained checkpoint (when given). */
  public JobId submit(JobGraph graph, Optional<String> savepointPath) throws Exception {
    return jobManager
        .dispatcher()
        .submitJob(new JobSubmission(graph, Optional.of("jar-key"), savepointPath))
        .get(5, TimeUnit.SECONDS);
  }

  public JobDetails details(JobId id) {
    try {
      return jobManager.dispatcher().requestJob(id).get(5, TimeUnit.SECONDS).orElseThrow();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  public JobDetails awaitStatus(JobId id, JobStatus status) {
    await().atMost(Duration.ofSeconds(15)).until(() -> details(id).status() == status);
    return details(id);
  }

  public void awaitAllTasks(JobId id, ExecutionState state) {
    await().atMost(Duration.ofSeconds(15)).until(() -> details(id).taskCounts().get(state) == 8);
  }

  public String scrape() {
    return jobManager.meterRegistry().scrape();
  }

  @Override
  public void close() {
    jobManager.close();
    for (FakeTaskManager tm : taskManagers) {
      tm.close();
    }
  }
}
