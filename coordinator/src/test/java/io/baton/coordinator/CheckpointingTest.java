package io.baton.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.baton.common.config.Configuration;
import io.baton.common.execution.ExecutionState;
import io.baton.common.ids.JobId;
import io.baton.common.rpc.Ack;
import io.baton.common.rpc.CheckpointNotification;
import io.baton.common.rpc.StateHandle;
import io.baton.common.rpc.SubmitTaskRequest;
import io.baton.common.rpc.TriggerCheckpointRequest;
import io.baton.coordinator.FakeTaskManager.CheckpointBehavior;
import io.baton.coordinator.checkpoint.CheckpointFiles;
import io.baton.coordinator.checkpoint.CheckpointMetadata;
import io.baton.coordinator.checkpoint.CheckpointStats;
import io.baton.coordinator.status.JobStatus;
import io.baton.storage.FileStores;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints, restore and savepoints of a JobManager with fake TaskManagers that write state. */
class CheckpointingTest {
  @TempDir Path blobDir;
  @TempDir Path checkpointDir;
  @TempDir Path savepointDir;
  private JobManagerTestCluster cluster;
  private final CheckpointFiles files = new CheckpointFiles(new FileStores(new Configuration()));

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private JobManagerTestCluster start(Map<String, String> settings) throws Exception {
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

  private CheckpointStats stats(JobId id) {
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

  private List<String> checkpointDirectories(JobId id) throws Exception {
    Path jobDir = checkpointDir.resolve(id.toString());
    if (!Files.isDirectory(jobDir)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(jobDir)) {
      return dirs.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private List<SubmitTaskRequest> submittedInAttempt(int attempt) {
    return cluster.taskManagers.stream()
        .flatMap(tm -> tm.submittedInAttempt(attempt).stream())
        .toList();
  }

  private void setCheckpointBehavior(CheckpointBehavior behavior) {
    cluster.taskManagers.forEach(tm -> tm.checkpointBehavior = behavior);
  }

  /**
   * Lets the next checkpoint hang unacknowledged (and unwritten) and waits until it was triggered:
   * from then on no checkpoint completes and no task writes files.
   */
  private void freezeCheckpoints(JobId id) {
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

  private void failOneTask(JobId id) {
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

  @Test
  void theFinalCheckpointIsTakenAtOnceWhenEverySourceEmittedItsLastRecord() throws Exception {
    // no periodic checkpoint comes within the test
    start(Map.of("execution.checkpointing.interval", "10 min"));
    JobId id = cluster.submit(JobManagerTestCluster.wordCount(3, Map.of()));
    cluster.awaitAllTasks(id, ExecutionState.RUNNING);
    List<FakeTaskManager> sourceHosts = new java.util.ArrayList<>();
    List<SubmitTaskRequest> sources = new java.util.ArrayList<>();
    SubmitTaskRequest count = null;
    FakeTaskManager countHost = null;
    for (FakeTaskManager tm : cluster.taskManagers) {
      for (SubmitTaskRequest task : tm.runningTasks()) {
        if (task.getVertexName().equals("source")) {
          sourceHosts.add(tm);
          sources.add(task);
        } else if (task.getVertexName().equals("count")) {
          count = task;
          countHost = tm;
        }
      }
    }
    assertThat(sources).hasSize(2);

    Ack notASource = countHost.endOfData(count);
    assertThat(notASource.getOk()).isFalse();
    assertThat(notASource.getError()).contains("is no source of job " + id);
    assertThat(sourceHosts.get(0).endOfData(sources.get(0)).getOk()).isTrue();
    assertThat(stats(id).counts().completed()).isZero();
    assertThat(triggersOf(id)).as("triggers while one source still emits").isEmpty();

    assertThat(sourceHosts.get(1).endOfData(sources.get(1)).getOk()).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> stats(id).counts().completed() == 1);
    assertThat(triggersOf(id))
        .as("one checkpoint, triggered at both sources")
        .hasSize(2)
        .extracting(TriggerCheckpointRequest::getCheckpointId)
        .containsOnly(stats(id).latestCompleted().id());
  }

  @Test
  void aFinalCheckpointDueWhileAnotherIsInFlightIsTakenWhenThatOneEnds() throws Exception {
    start(Map.of("execution.checkpointing.interval", "10 min"));
    JobId id = cluster.submit(JobManagerTestCluster.wordCount(3, Map.of()));
    cluster.awaitAllTasks(id, ExecutionState.RUNNING);
    // one checkpoint in flight, unanswered, as many as may be at once (the default: 1)
    setCheckpointBehavior(CheckpointBehavior.IGNORE);
    cluster.jobManager.dispatcher().triggerCheckpoint(id);
    await().atMost(Duration.ofSeconds(5)).until(() -> triggersOf(id).size() == 2);
    long inFlight = triggersOf(id).get(0).getCheckpointId();

    for (FakeTaskManager tm : cluster.taskManagers) {
      for (SubmitTaskRequest task : tm.runningTasks()) {
        if (task.getVertexName().equals("source")) {
          assertThat(tm.endOfData(task).getOk()).isTrue();
        }
      }
    }
    setCheckpointBehavior(CheckpointBehavior.ACK);

    // the one in flight expires (execution.checkpointing.timeout 1 s), then the final one comes
    await().atMost(Duration.ofSeconds(10)).until(() -> stats(id).counts().completed() == 1);
    assertThat(stats(id).latestCompleted().id()).isGreaterThan(inFlight);
    assertThat(stats(id).counts().failed()).isEqualTo(1);
  }

  private List<TriggerCheckpointRequest> triggersOf(JobId id) {
    return cluster.taskManagers.stream()
        .flatMap(tm -> tm.triggers.stream())
        .filter(t -> t.getJobId().equals(id.toString()))
        .toList();
  }

  @Test
  void periodicCheckpointsCompleteWriteMetadataAndKeepOnlyTheRetainedOne() throws Exception {
    start(Map.of());
    JobId id = cluster.submit(JobManagerTestCluster.wordCount(3, Map.of()));
    cluster.awaitAllTasks(id, ExecutionState.RUNNING);

    await().atMost(Duration.ofSeconds(10)).until(() -> stats(id).counts().completed() >= 3);
    freezeCheckpoints(id);
    CheckpointStats stats = stats(id);
    CheckpointStats.Entry latest = stats.latestCompleted();
    assertThat(latest.status()).isEqualTo(CheckpointStats.Status.COMPLETED);
    assertThat(latest.numSubtasks()).isEqualTo(8);
    assertThat(latest.numAcknowledgedSubtasks()).isEqualTo(8);
    assertThat(latest.externalPath()).endsWith(id + "/chk-" + latest.id());

    CheckpointMetadata metadata = files.readMetadata(URI.create(latest.externalPath()));
    assertThat(metadata.formatVersion()).isEqualTo(1);
    assertThat(metadata.jobId()).isEqualTo(id.toString());
    assertThat(metadata.checkpointId()).isEqualTo(latest.id());
    assertThat(metadata.isSavepoint()).isFalse();
    assertThat(metadata.completeTimestamp()).isGreaterThanOrEqualTo(metadata.triggerTimestamp());
    assertThat(metadata.state()).hasSize(8);
    assertThat(metadata.state())
        .filteredOn(h -> h.kind().equals("keyed"))
        .extracting(
            CheckpointMetadata.Handle::keyGroupStart, CheckpointMetadata.Handle::keyGroupEnd)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(0, 21),
            org.assertj.core.groups.Tuple.tuple(22, 42),
            org.assertj.core.groups.Tuple.tuple(43, 63));
    assertThat(latest.stateSize()).isEqualTo(metadata.stateSize()).isPositive();
    // per vertex: every subtask acknowledged, with the state it sent
    assertThat(latest.tasks()).allMatch(t -> t.numAcknowledgedSubtasks() == t.numSubtasks());
    assertThat(latest.tasks().stream().mapToInt(CheckpointStats.TaskStats::numSubtasks).sum())
        .isEqualTo(8);
    assertThat(latest.tasks().stream().mapToLong(CheckpointStats.TaskStats::stateSize).sum())
        .isEqualTo(latest.stateSize());
    assertThat(latest.tasks())
        .flatExtracting(CheckpointStats.TaskStats::subtasks)
        .allMatch(s -> s.ackTimestamp() >= latest.triggerTimestamp() && s.endToEndDuration() >= 0);
    files.verify(URI.create(latest.externalPath()), metadata);

    // state.checkpoints.num-retained = 1: only the latest chk- directory is left
    long newest = stats(id).latestCompleted().id();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> checkpointDirectories(id).equals(List.of("chk-" + newest)));

    // every task heard of completed checkpoints; only sources were triggered
    List<CheckpointNotification> notified =
        cluster.taskManagers.stream().flatMap(tm -> tm.completed.stream()).toList();
    assertThat(notified).extracting(CheckpointNotification::getCheckpointId).contains(latest.id());
    assertThat(
            cluster.taskManagers.stream()
                .flatMap(tm -> tm.triggers.stream())
                .filter(t -> t.getCheckpointId() == latest.id()))
        .hasSize(2)
        .allMatch(t -> t.getCheckpointDir().equals(latest.externalPath()));
    assertThat(cluster.scrape())
        .containsPattern(
            "baton_checkpoints_completed_total\\{[^}]*job_id=\"" + id + "\"[^}]*} [1-9]")
        .contains("baton_checkpoint_last_size_bytes{")
        .contains("baton_checkpoint_last_duration_seconds{")
        .containsPattern("baton_checkpoint_last_completed_timestamp_seconds\\{[^}]*} [1-9]")
        .containsPattern(
            "baton_checkpoint_interval_seconds\\{[^}]*job_id=\"" + id + "\"[^}]*} 0\\.");

    cluster.jobManager.dispatcher().cancelJob(id).get(5, TimeUnit.SECONDS);
    cluster.awaitStatus(id, JobStatus.CANCELED);
    // cancelled without RETAIN_ON_CANCELLATION: its checkpoints are gone
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> !Files.exists(checkpointDir.resolve(id.toString())));
  }

  @Test
  void checkpointsGoOnWhenABoundedSourceFinishedAfterOne() throws Exception {
    start(Map.of());
    JobId id = cluster.submit(JobManagerTestCluster.wordCount(3, Map.of()));
    cluster.awaitAllTasks(id, ExecutionState.RUNNING);
    await().atMost(Duration.ofSeconds(10)).until(() -> stats(id).counts().completed() >= 1);

    SubmitTaskRequest firstSource =
        cluster.taskManagers.stream()
            .flatMap(tm -> tm.runningTasks().stream())
            .filter(t -> t.getVertexName().equals("source") && t.getSubtaskIndex() == 0)
            .findFirst()
            .orElseThrow();
    cluster.taskManagers.forEach(tm -> tm.finishTask(firstSource));

    // the other source still injects barriers; the finished one is not waited for
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                stats(id).latestCompleted() != null
                    && stats(id).latestCompleted().numSubtasks() == 7);
    assertThat(stats(id).latestCompleted().numAcknowledgedSubtasks()).isEqualTo(7);
    assertThat(cluster.details(id).status()).isEqualTo(JobStatus.RUNNING);
  }

  @Test
  void declinedCheckpointsAbortAndTooManyFailTheJob() throws Exception {
    start(
        Map.of(
            "execution.checkpointing.tolerable-failed-checkpoints", "2",
            "restart-strategy.type", "none"));
    setCheckpointBehavior(CheckpointBehavior.DECLINE);
    JobId id = cluster.submit(JobManagerTestCluster.wordCount(3, Map.of()));

    var failed = cluster.awaitStatus(id, JobStatus.FAILED);

    assertThat(failed.failureCause())
        .contains("3 consecutive checkpoints failed")
        .contains("execution.checkpointing.tolerable-failed-checkpoints = 2")
        .contains("declined by")
        .contains("state backend full");
    CheckpointStats stats = stats(id);
    assertThat(stats.counts().failed()).isEqualTo(3);
    assertThat(stats.counts().completed()).isZero();
    assertThat(stats.latestFailed().failureMessage()).contains("declined by");
    assertThat(cluster.taskManagers.stream().flatMap(tm -> tm.aborted.stream()))
        .extracting(CheckpointNotification::getCheckpointId)
        .contains(1L, 2L, 3L);
    assertThat(cluster.scrape())
        .containsPattern("baton_checkpoints_failed_total\\{[^}]*job_id=\"" + id + "\"[^}]*} 3");
    // aborted checkpoints leave no directory behind
    await().atMost(Duration.ofSeconds(5)).until(() -> checkpointDirectories(id).isEmpty());
  }

  @Test
  void aCheckpointNotAcknowledgedInTimeIsAbortedAndCounted() throws Exception {
    start(Map.of("execution.checkpointing.timeout", "200 ms"));
    setCheckpointBehavior(CheckpointBehavior.IGNORE);
    JobId id = cluster.submit(JobManagerTestCluster.wordCount(3, Map.of()));

    await().atMost(Duration.ofSeconds(10)).until(() -> stats(id).counts().failed() >= 1);

    CheckpointStats.Entry failed = stats(id).latestFailed();
    assertThat(failed.failureMessage()).contains("expired after 200 ms").contains("(0/8)");
    assertThat(cluster.details(id).status()).isEqualTo(JobStatus.RUNNING);

    // once the tasks acknowledge again, checkpoints complete again
    setCheckpointBehavior(CheckpointBehavior.ACK);
    await().atMost(Duration.ofSeconds(10)).until(() -> stats(id).counts().completed() >= 1);
  }

  @Test
  void aFailedOverJobRestoresFromTheLatestCheckpoint() throws Exception {
    // a checkpoint the tasks ignored expires soon, so that the next one can start
    start(Map.of("execution.checkpointing.timeout", "500 ms"));
    JobId id = cluster.submit(JobManagerTestCluster.wordCount(3, Map.of()));
    cluster.awaitAllTasks(id, ExecutionState.RUNNING);
    await().atMost(Duration.ofSeconds(10)).until(() -> stats(id).counts().completed() >= 2);
    freezeCheckpoints(id);
    long latest = stats(id).latestCompleted().id();

    failOneTask(id);

    await().atMost(Duration.ofSeconds(10)).until(() -> submittedInAttempt(1).size() == 8);
    for (SubmitTaskRequest task : submittedInAttempt(1)) {
      assertThat(task.getRestoreCheckpointId()).isEqualTo(latest);
      assertThat(task.getRestoreStateList())
          .singleElement()
          .satisfies(
              h -> {
                assertThat(h.getOperatorUid()).isEqualTo(task.getVertexName() + "-uid");
                assertThat(h.getSubtaskIndex()).isEqualTo(task.getSubtaskIndex());
                assertThat(h.getPath()).contains("chk-" + latest + "/");
              });
    }
    CheckpointStats.Restored restored = stats(id).latestRestored();
    assertThat(restored.id()).isEqualTo(latest);
    assertThat(restored.externalPath()).endsWith("chk-" + latest);
    assertThat(stats(id).counts().restored()).isEqualTo(1);
    assertThat(cluster.scrape())
        .containsPattern("baton_checkpoint_restored_total\\{[^}]*job_id=\"" + id + "\"[^}]*} 1");

    // checkpoints go on after the restore with ids past the restored one
    cluster.awaitAllTasks(id, ExecutionState.RUNNING);
    long hanging =
        cluster.taskManagers.get(0).ignored.stream()
            .filter(c -> c.startsWith(id + "/"))
            .mapToLong(c -> Long.parseLong(c.substring(c.indexOf('/') + 1)))
            .max()
            .orElseThrow();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> stats(id).counts().inProgress() == 1 && stats(id).counts().total() > hanging);
    long current = stats(id).counts().total();
    // an acknowledgement of the attempt before the failover does not count
    SubmitTaskRequest stale = submittedInAttempt(0).get(0);
    assertThat(cluster.taskManagers.get(0).acknowledge(stale, current).getError())
        .isEqualTo(
            "checkpoint "
                + current
                + " of job "
                + id
                + " is not pending for "
                + stale.getExecutionId());
    setCheckpointBehavior(CheckpointBehavior.ACK);
    await().atMost(Duration.ofSeconds(10)).until(() -> stats(id).latestCompleted().id() > latest);
  }

  @Test
  void aCorruptOrMissingStateFileFallsBackToThePreviousCheckpoint() throws Exception {
    start(Map.of("state.checkpoints.num-retained", "3"));
    JobId id = cluster.submit(JobManagerTestCluster.wordCount(3, Map.of()));
    cluster.awaitAllTasks(id, ExecutionState.RUNNING);
    await().atMost(Duration.ofSeconds(10)).until(() -> stats(id).counts().completed() >= 3);
    freezeCheckpoints(id);
    long newest = stats(id).latestCompleted().id();
    CheckpointMetadata newestMetadata =
        files.readMetadata(URI.create(stats(id).latestCompleted().externalPath()));
    CheckpointMetadata middleMetadata =
        files.readMetadata(
            CheckpointFiles.asDirectory(checkpointDir.resolve(id.toString()).toUri())
                .resolve("chk-" + (newest - 1)));
    // the newest loses a file, the one before has a flipped byte
    Files.delete(Path.of(URI.create(newestMetadata.state().get(0).path())));
    Path corrupt = Path.of(URI.create(middleMetadata.state().get(3).path()));
    byte[] bytes = Files.readAllBytes(corrupt);
    bytes[0] ^= 1;
    Files.write(corrupt, bytes);

    failOneTask(id);

    await().atMost(Duration.ofSeconds(10)).until(() -> submittedInAttempt(1).size() == 8);
    assertThat(submittedInAttempt(1))
        .allSatisfy(t -> assertThat(t.getRestoreCheckpointId()).isEqualTo(newest - 2));
    CheckpointStats stats = stats(id);
    assertThat(stats.latestRestored().id()).isEqualTo(newest - 2);
    assertThat(stats.history())
        .filteredOn(e -> e.id() == newest)
        .singleElement()
        .satisfies(e -> assertThat(e.skippedOnRestore()).contains("is missing"));
    assertThat(stats.history())
        .filteredOn(e -> e.id() == newest - 1)
        .singleElement()
        .satisfies(e -> assertThat(e.skippedOnRestore()).contains("is corrupt: CRC32C"));
  }

  /**
   * A restart by the restart strategy when every retained checkpoint is damaged: starting from
   * nothing would replay what the sinks committed, so the job FAILS at once (no restart left unused
   * matters) with one line naming each damaged checkpoint, and nothing is deleted.
   */
  @Test
  void aRestartWithEveryCheckpointDamagedFailsTheJobInsteadOfReplaying() throws Exception {
    start(Map.of("state.checkpoints.num-retained", "2"));
    JobId id = cluster.submit(JobManagerTestCluster.wordCount(3, Map.of()));
    cluster.awaitAllTasks(id, ExecutionState.RUNNING);
    await().atMost(Duration.ofSeconds(10)).until(() -> stats(id).counts().completed() >= 2);
    freezeCheckpoints(id);
    long newest = stats(id).latestCompleted().id();
    Path jobDir = checkpointDir.resolve(id.toString());
    for (long damaged : List.of(newest, newest - 1)) {
      Files.write(jobDir.resolve("chk-" + damaged).resolve("_metadata"), new byte[] {1, 2});
    }

    failOneTask(id);

    var failed = cluster.awaitStatus(id, JobStatus.FAILED);
    assertThat(failed.restarts()).as("it failed when it came to restart, not later").isEqualTo(1);
    assertThat(failed.failureCause())
        .doesNotContain("\n")
        .contains("Job " + id + " is not resumed")
        .contains("checkpoint " + newest + " at file:" + jobDir.resolve("chk-" + newest) + " (")
        .contains("checkpoint " + (newest - 1) + " at file:")
        .contains("_metadata is not checkpoint metadata")
        .contains("would write that output twice")
        .contains("baton run -s");
    assertThat(submittedInAttempt(1)).as("no task of the refused attempt was deployed").isEmpty();
    assertThat(checkpointDirectories(id))
        .as("the damaged checkpoints stay for the user to look at")
        .contains("chk-" + newest, "chk-" + (newest - 1));
  }

  /** Keyed state follows its key groups when a job starts with another parallelism. */
  @Test
  void keyedStateIsRedistributedWhenRescalingFourToTwoAndTwoToFour() throws Exception {
    start(
        Map.of(
            "execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION"));
    String fromFour = retainedCheckpointOf(4);
    JobId two = cluster.submit(JobManagerTestCluster.wordCount(2, Map.of()), Optional.of(fromFour));
    await().atMost(Duration.ofSeconds(10)).until(() -> tasksOf(two).size() == 6);

    // new subtask 0 holds key groups 0-31: the old 0-15 and 16-31; subtask 1: 32-47 and 48-63
    assertThat(keyedRanges(two, 0)).containsExactly("0-15", "16-31");
    assertThat(keyedRanges(two, 1)).containsExactly("32-47", "48-63");
    // the sink's operator state is not keyed: each new subtask gets all old subtasks' states
    assertThat(restoreOf(two, "sink", 0))
        .extracting(StateHandle::getSubtaskIndex)
        .containsExactly(0, 1, 2, 3);
    // the sources kept their parallelism: each gets its own state
    assertThat(restoreOf(two, "source", 1))
        .extracting(StateHandle::getSubtaskIndex)
        .containsExactly(1);
    assertThat(stats(two).latestRestored().externalPath()).isEqualTo(fromFour);

    cluster.jobManager.dispatcher().cancelJob(two).get(5, TimeUnit.SECONDS);
    cluster.awaitStatus(two, JobStatus.CANCELED);

    String fromTwo = retainedCheckpointOf(2);
    JobId four = cluster.submit(JobManagerTestCluster.wordCount(4, Map.of()), Optional.of(fromTwo));
    await().atMost(Duration.ofSeconds(10)).until(() -> tasksOf(four).size() == 10);
    assertThat(keyedRanges(four, 0)).containsExactly("0-31");
    assertThat(keyedRanges(four, 1)).containsExactly("0-31");
    assertThat(keyedRanges(four, 2)).containsExactly("32-63");
    assertThat(keyedRanges(four, 3)).containsExactly("32-63");
  }

  /** Runs the job with {@code parallelism}, cancels it after a checkpoint and returns its path. */
  private String retainedCheckpointOf(int parallelism) throws Exception {
    JobId id = cluster.submit(JobManagerTestCluster.wordCount(parallelism, Map.of()));
    await().atMost(Duration.ofSeconds(10)).until(() -> stats(id).counts().completed() >= 1);
    cluster.jobManager.dispatcher().cancelJob(id).get(5, TimeUnit.SECONDS);
    cluster.awaitStatus(id, JobStatus.CANCELED);
    String path = stats(id).latestCompleted().externalPath();
    assertThat(Path.of(URI.create(path)).resolve("_metadata")).exists();
    return path;
  }

  private List<SubmitTaskRequest> tasksOf(JobId id) {
    return cluster.taskManagers.stream()
        .flatMap(tm -> tm.submitted.stream())
        .filter(t -> t.getJobId().equals(id.toString()))
        .toList();
  }

  private List<StateHandle> restoreOf(JobId id, String vertex, int subtask) {
    return tasksOf(id).stream()
        .filter(t -> t.getVertexName().equals(vertex) && t.getSubtaskIndex() == subtask)
        .findFirst()
        .orElseThrow()
        .getRestoreStateList();
  }

  private List<String> keyedRanges(JobId id, int subtask) {
    return restoreOf(id, "count", subtask).stream()
        .map(h -> h.getKeyGroupStart() + "-" + h.getKeyGroupEnd())
        .toList();
  }

  @Test
  void aSavepointIsSelfContainedAndAJobRunsFromIt() throws Exception {
    start(Map.of("state.savepoints.dir", savepointDir.toUri().toString()));
    JobId id = cluster.submit(JobManagerTestCluster.wordCount(3, Map.of()));
    cluster.awaitAllTasks(id, ExecutionState.RUNNING);

    String path =
        cluster
            .jobManager
            .dispatcher()
            .triggerSavepoint(id, Optional.empty(), true)
            .get(10, TimeUnit.SECONDS);

    assertThat(Path.of(URI.create(path)).getParent()).isEqualTo(savepointDir);
    assertThat(path).matches(".*/savepoint-" + id.toString().substring(0, 6) + "-[0-9a-f]{12}");
    cluster.awaitStatus(id, JobStatus.CANCELED);
    CheckpointMetadata metadata = files.readMetadata(URI.create(path));
    assertThat(metadata.isSavepoint()).isTrue();
    assertThat(metadata.state()).hasSize(8).allMatch(h -> h.path().startsWith(path + "/"));
    // the job's checkpoint directory is gone: the savepoint does not need it
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> !Files.exists(checkpointDir.resolve(id.toString())));
    assertThat(stats(id).latestSavepoint().externalPath()).isEqualTo(path);

    JobId resumed = cluster.submit(JobManagerTestCluster.wordCount(3, Map.of()), Optional.of(path));
    await().atMost(Duration.ofSeconds(10)).until(() -> tasksOf(resumed).size() == 8);
    assertThat(tasksOf(resumed))
        .allSatisfy(
            t -> {
              assertThat(t.getRestoreCheckpointId()).isEqualTo(metadata.checkpointId());
              assertThat(t.getRestoreStateList()).hasSize(1);
            });
    assertThat(stats(resumed).latestRestored().savepoint()).isTrue();
  }

  @Test
  void aPathThatIsNoSavepointIsRefusedWithOneLine() throws Exception {
    start(Map.of());
    Path empty = Files.createDirectories(savepointDir.resolve("nothing-here"));

    assertThatThrownBy(
            () ->
                cluster.submit(
                    JobManagerTestCluster.wordCount(3, Map.of()), Optional.of(empty.toString())))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a savepoint or retained checkpoint: " + empty + ": no _metadata file");
  }

  @Test
  void checkpointingWithoutADirectoryRefusesTheJob() throws Exception {
    cluster = new JobManagerTestCluster(blobDir, Map.of());
    cluster.addTaskManager(4);

    assertThatThrownBy(
            () ->
                cluster.submit(
                    JobManagerTestCluster.wordCount(
                        3, Map.of("execution.checkpointing.interval", "1 s"))))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "execution.checkpointing.interval is set but state.checkpoints.dir is not:"
                + " say where checkpoints go");
    assertThatThrownBy(
            () ->
                cluster.submit(
                    JobManagerTestCluster.wordCount(
                        3,
                        Map.of(
                            "execution.checkpointing.interval", "1 s",
                            "state.checkpoints.dir", "ftp://host/cp"))))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unsupported storage scheme 'ftp' in ftp://host/cp")
        .hasMessageNotContaining("\n");
  }
}
