package io.baton.coordinator;

import static org.awaitility.Awaitility.await;

import io.baton.common.config.Configuration;
import io.baton.common.ids.JobId;
import io.baton.common.rpc.SubmitTaskRequest;
import io.baton.coordinator.FakeTaskManager.CheckpointBehavior;
import io.baton.coordinator.checkpoint.CheckpointFiles;
import io.baton.coordinator.checkpoint.CheckpointStats;
import io.baton.storage.FileStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JobManager with two fake TaskManagers that write state, for the checkpointing tests: starting
 * it with settings, reading a job's checkpoint figures and directories, and steering the fakes'
 * answers to checkpoints.
 */
abstract class CheckpointingFixture {
  @TempDir Path blobDir;
  @TempDir Path checkpointDir;
  @TempDir Path savepointDir;
  JobManagerTestCluster cluster;
  final CheckpointFiles files = new CheckpointFiles(new FileStores(new Configuration()));

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  JobManagerTestCluster start(Map<String, String> settings) throws Exception {
    Map<String, String> values = new HashMap<>();
    values.put("execution.checkpointing.interval", "100 ms");
    values.put("state.checkpoints.dir", checkpointDir.toUri().toString());
    values.put("restart-strategy.type", "fixed-delay");
    values.put("restart-strategy.fixed-delay.attempts", "3");
    values.put("restart-strategy.fixed-delay.delay", "50 ms");
    // a checkpoint that some fakes acknowledged and others ignored expires soon
    values.put("execution.checkpointing.timeout", "1 s");
    // a busy machine must not make TaskManagers look lost: these tests fail tasks on purpose
    values.put("heartbeat.timeout", "10 s");
    values.putAll(settings);
    cluster = new JobManagerTestCluster(blobDir, values);
    // tasks run until cancelled: streaming jobs that checkpoint
    cluster.addTaskManager(4).behave(r -> FakeTaskManager.Behavior.RUN);
    cluster.addTaskManager(4).behave(r -> FakeTaskManager.Behavior.RUN);
    return cluster;
  }

  CheckpointStats stats(JobId id) {
    try {
      return cluster
          .jobManager
          .dispatcher()
          .requestCheckpointStats(id)
          .get(5, TimeUnit.SECONDS)
          .orElseThrow();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  List<String> checkpointDirectories(JobId id) throws Exception {
    Path jobDir = checkpointDir.resolve(id.toString());
    if (!Files.isDirectory(jobDir)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(jobDir)) {
      return dirs.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  List<SubmitTaskRequest> submittedInAttempt(int attempt) {
    return cluster.taskManagers.stream()
        .flatMap(tm -> tm.submittedInAttempt(attempt).stream())
        .toList();
  }

  void setCheckpointBehavior(CheckpointBehavior behavior) {
    cluster.taskManagers.forEach(tm -> tm.checkpointBehavior = behavior);
  }

  /**
   * Lets the next checkpoint hang unacknowledged (and unwritten) and waits until it was triggered:
   * from then on no checkpoint completes and no task writes files.
   */
  void freezeCheckpoints(JobId id) {
    setCheckpointBehavior(CheckpointBehavior.IGNORE);
    // a checkpoint every TaskManager ignored was triggered after the switch: nothing of it exists,
    // and (one in flight at a time) everything before it is complete or aborted (one that only
    // some TaskManagers ignored, as they switched while it came, expires after the timeout)
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                cluster.taskManagers.get(0).ignored.stream()
                    .anyMatch(
                        c ->
                            c.startsWith(id + "/")
                                && cluster.taskManagers.stream()
                                    .allMatch(tm -> tm.ignored.contains(c))));
  }

  void failOneTask(JobId id) {
    for (FakeTaskManager tm : cluster.taskManagers) {
      for (SubmitTaskRequest task : tm.runningTasks()) {
        if (task.getJobId().equals(id.toString())) {
          tm.failTask(task);
          return;
        }
      }
    }
    throw new AssertionError("no running task of job " + id);
  }
}
