package io.baton.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.baton.common.execution.ExecutionState;
import io.baton.common.ids.JobId;
import io.baton.common.rpc.StateHandle;
import io.baton.common.rpc.SubmitTaskRequest;
import io.baton.coordinator.FakeTaskManager.CheckpointBehavior;
import io.baton.coordinator.checkpoint.CheckpointFiles;
import io.baton.coordinator.checkpoint.CheckpointMetadata;
import io.baton.coordinator.checkpoint.CheckpointStats;
import io.baton.coordinator.status.JobStatus;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Restoring a JobManager's jobs from checkpoints and savepoints, with fake TaskManagers. */
class CheckpointRestoreTest extends CheckpointingFixture {
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
}
