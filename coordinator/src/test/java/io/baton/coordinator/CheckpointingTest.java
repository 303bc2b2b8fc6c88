package io.baton.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.baton.common.execution.ExecutionState;
import io.baton.common.ids.JobId;
import io.baton.common.rpc.Ack;
import io.baton.common.rpc.CheckpointNotification;
import io.baton.common.rpc.SubmitTaskRequest;
import io.baton.common.rpc.TriggerCheckpointRequest;
import io.baton.coordinator.FakeTaskManager.CheckpointBehavior;
import io.baton.coordinator.checkpoint.CheckpointMetadata;
import io.baton.coordinator.checkpoint.CheckpointStats;
import io.baton.coordinator.status.JobStatus;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Checkpoints of a JobManager with fake TaskManagers that write state: periodic, final, failed. */
class CheckpointingTest extends CheckpointingFixture {
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
