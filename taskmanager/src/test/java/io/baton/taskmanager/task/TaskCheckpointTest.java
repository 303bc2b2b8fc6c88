package io.baton.taskmanager.task;

import static io.baton.taskmanager.task.CheckpointFixture.DEADLINE;
import static io.baton.taskmanager.task.CheckpointFixture.KEYED;
import static io.baton.taskmanager.task.CheckpointFixture.SOURCE;
import static io.baton.taskmanager.task.CheckpointFixture.crc32c;
import static io.baton.taskmanager.task.CheckpointFixture.keyedHandles;
import static io.baton.taskmanager.task.CheckpointFixture.requestOf;
import static io.baton.taskmanager.task.CheckpointFixture.sourceStates;
import static io.baton.taskmanager.task.CheckpointFixture.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.baton.api.graph.JobGraph;
import io.baton.api.graph.JobVertex;
import io.baton.api.graph.OperatorKind;
import io.baton.api.tuple.Tuple2;
import io.baton.common.checkpoint.CheckpointAcknowledgement;
import io.baton.common.checkpoint.EndOfData;
import io.baton.common.checkpoint.StateFileHandle;
import io.baton.common.deployment.TaskDeployment;
import io.baton.common.execution.ExecutionState;
import io.baton.common.state.KeyGroups;
import io.baton.taskmanager.task.CheckpointFixture.Pipeline;
import io.baton.taskmanager.task.InMemoryNetwork.InMemoryResultPartition;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Barriers, alignment, acknowledgements and declines of running tasks. */
class TaskCheckpointTest {
  @TempDir Path tmp;

  private CheckpointFixture fixture;

  @BeforeEach
  void createFixture() {
    fixture = new CheckpointFixture(tmp);
  }

  @AfterEach
  void stopTasks() throws Exception {
    fixture.close();
  }

  @Test
  void everyTaskAcknowledgesWithFilesWhoseChecksumsMatchAndSinksCommitOnCompletion()
      throws Exception {
    Pipeline pipeline = fixture.pipeline(2, 2);
    TestDeployment deployment = pipeline.deployment();
    Map<Task, TaskDeployment> started = pipeline.startAll(deployment);
    FeedSource.feed(pipeline.feed.id(), 0, Tuple2.of("a", 1), Tuple2.of("b", 2));
    FeedSource.feed(pipeline.feed.id(), 1, Tuple2.of("a", 3), Tuple2.of("c", 4));
    await().atMost(DEADLINE).until(() -> Recorder.list(pipeline.sink.records()).size() == 4);

    fixture.trigger(deployment, pipeline.sources, 1);

    await().atMost(DEADLINE).until(() -> fixture.responder().acksOf(1).size() == 4);
    assertThat(fixture.responder().declines).isEmpty();
    assertThat(fixture.responder().acks.stream().map(CheckpointAcknowledgement::executionId))
        .containsExactlyInAnyOrderElementsOf(
            started.values().stream().map(TaskDeployment::executionId).toList());
    Path checkpointDir = fixture.checkpointDir(deployment, 1);
    for (CheckpointAcknowledgement ack : fixture.responder().acks) {
      TaskDeployment task = requestOf(started, ack.executionId());
      List<String> files =
          ack.state().stream()
              .map(h -> Path.of(URI.create(h.path())))
              .map(p -> p.getFileName().toString())
              .toList();
      int v = task.vertexId();
      int s = task.subtaskIndex();
      if (v == SOURCE) {
        assertThat(files).containsExactly(v + "_" + s + "_0_source");
      } else {
        assertThat(files).containsExactly(v + "_" + s + "_0_keyed", v + "_" + s + "_1_sink");
        StateFileHandle keyed = ack.state().get(0);
        assertThat(keyed.keyGroupStart()).isEqualTo(KeyGroups.firstKeyGroup(s, 128, 2));
        assertThat(keyed.keyGroupEnd()).isEqualTo(KeyGroups.lastKeyGroup(s, 128, 2));
      }
      for (StateFileHandle handle : ack.state()) {
        Path file = Path.of(URI.create(handle.path()));
        assertThat(file.getParent()).isEqualTo(checkpointDir);
        byte[] bytes = Files.readAllBytes(file);
        assertThat(handle.sizeBytes()).isEqualTo(bytes.length);
        assertThat(handle.checksum()).isEqualTo(crc32c(bytes));
        assertThat(handle.subtaskIndex()).isEqualTo(s);
        assertThat(handle.parallelism()).isEqualTo(2);
      }
    }
    assertThat(fixture.sums(keyedHandles(fixture.responder().acks)))
        .isEqualTo(Map.of("a", 4, "b", 2, "c", 4));
    assertThat(sourceStates(fixture.responder().acks)).containsExactlyInAnyOrder("0:2", "1:2");

    for (Task task : started.keySet()) {
      assertThat(task.notifyCheckpointComplete(1)).isTrue();
    }

    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () ->
                assertThat(Recorder.list(pipeline.sink.events()))
                    .containsExactlyInAnyOrder(
                        "snapshot 1 0", "snapshot 1 1", "commit 1 0", "commit 1 1"));
  }

  @Test
  void everyTaskWritesASavepointIntoTheDirectoryTheSourcesWereGiven() throws Exception {
    Pipeline pipeline = fixture.pipeline(1, 2);
    TestDeployment deployment = pipeline.deployment();
    Map<Task, TaskDeployment> started = pipeline.startAll(deployment);
    FeedSource.feed(pipeline.feed.id(), 0, Tuple2.of("a", 1), Tuple2.of("b", 2));
    await().atMost(DEADLINE).until(() -> Recorder.list(pipeline.sink.records()).size() == 2);
    Path savepoint = tmp.resolve("savepoints").resolve("savepoint-1");

    Task source = fixture.taskOf(deployment.execution(SOURCE, 0).value());
    assertThat(source.triggerCheckpoint(5, 0, savepoint.toUri().toString(), true)).isTrue();

    await().atMost(DEADLINE).until(() -> fixture.responder().acksOf(5).size() == started.size());
    assertThat(fixture.responder().acks.stream().flatMap(a -> a.state().stream()))
        .hasSize(5)
        .allSatisfy(
            handle -> {
              Path file = Path.of(URI.create(handle.path()));
              assertThat(file.getParent()).isEqualTo(savepoint);
              assertThat(file).exists();
            });
    assertThat(fixture.sums(keyedHandles(fixture.responder().acks)))
        .isEqualTo(Map.of("a", 1, "b", 2));
    assertThat(fixture.checkpointDir(deployment, 5)).doesNotExist();
  }

  @Test
  void recordsBehindAnEarlyBarrierWaitUntilTheCheckpointIsTaken() throws Exception {
    Pipeline pipeline = fixture.pipeline(2, 1);
    TestDeployment deployment = pipeline.deployment();
    InMemoryResultPartition early = fixture.producer(deployment, 0);
    InMemoryResultPartition late = fixture.producer(deployment, 1);
    Task keyed =
        fixture.start(
            fixture.withCheckpointing(deployment.descriptor(KEYED, 0), deployment),
            new RecordingListener());

    fixture.emit(early, Tuple2.of("a", 1));
    early.broadcastBarrier(1, 0);
    fixture.emit(early, Tuple2.of("a", 100));
    early.flushAll();
    fixture.emit(late, Tuple2.of("a", 10));
    late.flushAll();
    // the late channel's record is processed, the early channel's record waits behind the barrier
    await()
        .atMost(DEADLINE)
        .until(() -> Recorder.list(pipeline.sink.records()).contains(Tuple2.of("a", 11)));
    assertThat(fixture.responder().acks).isEmpty();

    late.broadcastBarrier(1, 0);

    await().atMost(DEADLINE).until(() -> fixture.responder().acksOf(1).size() == 1);
    assertThat(fixture.sums(keyedHandles(fixture.responder().acks))).isEqualTo(Map.of("a", 11));
    await()
        .atMost(DEADLINE)
        .until(() -> Recorder.list(pipeline.sink.records()).contains(Tuple2.of("a", 111)));
    assertThat(keyed.state()).isEqualTo(ExecutionState.RUNNING);
  }

  @Test
  void aNewerBarrierOrAnAbortEndsTheAlignmentInProgress() throws Exception {
    Pipeline pipeline = fixture.pipeline(2, 1);
    TestDeployment deployment = pipeline.deployment();
    InMemoryResultPartition first = fixture.producer(deployment, 0);
    InMemoryResultPartition second = fixture.producer(deployment, 1);
    Task keyed =
        fixture.start(
            fixture.withCheckpointing(deployment.descriptor(KEYED, 0), deployment),
            new RecordingListener());

    first.broadcastBarrier(1, 0);
    fixture.emit(first, Tuple2.of("a", 1));
    first.flushAll();
    second.broadcastBarrier(2, 0);
    // checkpoint 1 is given up: the first channel flows again
    await()
        .atMost(DEADLINE)
        .until(() -> Recorder.list(pipeline.sink.records()).contains(Tuple2.of("a", 1)));
    first.broadcastBarrier(2, 0);
    await().atMost(DEADLINE).until(() -> fixture.responder().acksOf(2).size() == 1);

    first.broadcastBarrier(3, 0);
    fixture.emit(first, Tuple2.of("a", 5));
    first.flushAll();
    assertThat(keyed.notifyCheckpointAborted(3)).isTrue();
    await()
        .atMost(DEADLINE)
        .until(() -> Recorder.list(pipeline.sink.records()).contains(Tuple2.of("a", 6)));
    second.broadcastBarrier(3, 0);
    first.broadcastBarrier(4, 0);
    second.broadcastBarrier(4, 0);

    await().atMost(DEADLINE).until(() -> fixture.responder().acksOf(4).size() == 1);
    assertThat(fixture.responder().acksOf(1)).isEmpty();
    assertThat(fixture.responder().acksOf(3)).isEmpty();
    assertThat(fixture.sums(keyedHandles(fixture.responder().acksOf(2)))).isEqualTo(Map.of("a", 1));
    assertThat(fixture.sums(keyedHandles(fixture.responder().acksOf(4)))).isEqualTo(Map.of("a", 6));
  }

  @Test
  void aBoundedSourceWithCheckpointingEndsOnlyAfterACheckpointCompletes() throws Exception {
    Pipeline pipeline = fixture.pipeline(1, 1);
    JobVertex chained =
        new JobVertex(
            SOURCE,
            "feed -> commit",
            1,
            128,
            List.of(
                spec("feed", OperatorKind.SOURCE, pipeline.feed),
                spec("commit", OperatorKind.SINK, pipeline.sink)));
    TestDeployment deployment =
        new TestDeployment(JobGraph.builder("bounded").addVertex(chained).build());
    RecordingListener listener = new RecordingListener();
    Task task =
        fixture.start(
            fixture.withCheckpointing(deployment.descriptor(SOURCE, 0), deployment), listener);
    FeedSource.feed(pipeline.feed.id(), 0, "x");
    await().atMost(DEADLINE).until(() -> Recorder.list(pipeline.sink.records()).contains("x"));
    assertThat(fixture.responder().endsOfData).as("end-of-data notices before the end").isEmpty();
    // a checkpoint taken before the end does not cover the end
    assertThat(task.triggerCheckpoint(1, 0, fixture.dirUri(deployment, 1), false)).isTrue();
    await().atMost(DEADLINE).until(() -> fixture.responder().acksOf(1).size() == 1);
    FeedSource.feed(pipeline.feed.id(), 0, "y");
    FeedSource.end(pipeline.feed.id(), 0);
    await().atMost(DEADLINE).until(() -> Recorder.list(pipeline.feed.ended()).contains(0));
    // the coordinator hears of the end at once: it need not wait an interval for the final one
    await().atMost(DEADLINE).until(() -> !fixture.responder().endsOfData.isEmpty());
    assertThat(fixture.responder().endsOfData)
        .containsExactly(new EndOfData(deployment.jobId(), task.executionId()));
    assertThat(task.notifyCheckpointComplete(1)).isTrue();

    // an aborted one does not either
    assertThat(task.triggerCheckpoint(2, 0, fixture.dirUri(deployment, 2), false)).isTrue();
    await().atMost(DEADLINE).until(() -> fixture.responder().acksOf(2).size() == 1);
    assertThat(task.notifyCheckpointAborted(2)).isTrue();
    assertThat(task.triggerCheckpoint(3, 0, fixture.dirUri(deployment, 3), false)).isTrue();
    await().atMost(DEADLINE).until(() -> fixture.responder().acksOf(3).size() == 1);
    assertThat(task.state()).isEqualTo(ExecutionState.RUNNING);
    assertThat(Recorder.list(pipeline.sink.events())).doesNotContain("finish 0");

    assertThat(task.notifyCheckpointComplete(3)).isTrue();

    assertThat(task.terminationFuture().get(10, TimeUnit.SECONDS))
        .isEqualTo(ExecutionState.FINISHED);
    assertThat(Recorder.list(pipeline.sink.records())).containsExactly("x", "y");
    assertThat(Recorder.list(pipeline.sink.events()))
        .containsExactly(
            "snapshot 1 0", "commit 1 0", "snapshot 2 0", "snapshot 3 0", "commit 3 0", "finish 0");
    assertThat(task.triggerCheckpoint(4, 0, fixture.dirUri(deployment, 4), false)).isFalse();
    assertThat(fixture.responder().endsOfData).as("end-of-data notices in all").hasSize(1);
  }

  @Test
  void aBoundedSourceWithoutCheckpointingEndsAtOnce() throws Exception {
    Pipeline pipeline = fixture.pipeline(1, 1);
    JobVertex chained =
        new JobVertex(
            SOURCE,
            "feed -> commit",
            1,
            128,
            List.of(
                spec("feed", OperatorKind.SOURCE, pipeline.feed),
                spec("commit", OperatorKind.SINK, pipeline.sink)));
    TestDeployment deployment =
        new TestDeployment(JobGraph.builder("bounded").addVertex(chained).build());
    Task task = fixture.start(deployment.descriptor(SOURCE, 0), new RecordingListener());
    FeedSource.feed(pipeline.feed.id(), 0, "x");
    FeedSource.end(pipeline.feed.id(), 0);

    assertThat(task.terminationFuture().get(10, TimeUnit.SECONDS))
        .isEqualTo(ExecutionState.FINISHED);
    assertThat(Recorder.list(pipeline.sink.events())).containsExactly("finish 0");
    assertThat(fixture.responder().endsOfData).as("no final checkpoint to ask for").isEmpty();
  }

  @Test
  void aFailedSnapshotOrAnUnwritableDirectoryDeclinesTheCheckpointAndTheTaskRunsOn()
      throws Exception {
    RefusingSink.refuse = true;
    FeedSource feed = new FeedSource(Recorder.newId());
    JobVertex chained =
        new JobVertex(
            SOURCE,
            "feed -> refuse",
            1,
            128,
            List.of(
                spec("feed", OperatorKind.SOURCE, feed),
                spec("refuse", OperatorKind.SINK, new RefusingSink())));
    TestDeployment deployment =
        new TestDeployment(JobGraph.builder("declining").addVertex(chained).build());
    Task task =
        fixture.start(
            fixture.withCheckpointing(deployment.descriptor(SOURCE, 0), deployment),
            new RecordingListener());
    Path notADirectory = Files.writeString(tmp.resolve("occupied"), "a file, not a directory");

    assertThat(task.triggerCheckpoint(1, 0, fixture.dirUri(deployment, 1), false)).isTrue();
    await().atMost(DEADLINE).until(() -> fixture.responder().declines.size() == 1);
    assertThat(fixture.responder().declines.get(0).checkpointId()).isEqualTo(1);
    assertThat(fixture.responder().declines.get(0).reason())
        .startsWith("feed -> refuse (1/1)#0: its snapshot failed")
        .contains("no room for a snapshot");

    RefusingSink.refuse = false;
    assertThat(
            task.triggerCheckpoint(2, 0, notADirectory.resolve("chk-2").toUri().toString(), false))
        .isTrue();
    await().atMost(DEADLINE).until(() -> fixture.responder().declines.size() == 2);
    assertThat(fixture.responder().declines.get(1).checkpointId()).isEqualTo(2);
    assertThat(fixture.responder().declines.get(1).reason()).contains("writing its state to");
    assertThat(fixture.responder().acks).isEmpty();

    FeedSource.feed(feed.id(), 0, "still running");
    await().atMost(DEADLINE).until(() -> task.metrics().recordsIn() == 1);
    assertThat(task.state()).isEqualTo(ExecutionState.RUNNING);
  }

  @Test
  void connectorsReachTheTaskManagersStorageThroughTaskInfo() throws Exception {
    FeedSource feed = new FeedSource(Recorder.newId());
    Path output = tmp.resolve("out").resolve("part-0");
    String seen = Recorder.newId();
    JobVertex chained =
        new JobVertex(
            SOURCE,
            "feed -> file",
            1,
            128,
            List.of(
                spec("feed", OperatorKind.SOURCE, feed),
                spec("file", OperatorKind.SINK, new StorageSink(output.toUri().toString(), seen))));
    TestDeployment deployment =
        new TestDeployment(JobGraph.builder("files").addVertex(chained).build());
    Task task = fixture.start(deployment.descriptor(SOURCE, 0), new RecordingListener());
    FeedSource.feed(feed.id(), 0, "one", "two");
    FeedSource.end(feed.id(), 0);

    assertThat(task.terminationFuture().get(10, TimeUnit.SECONDS))
        .isEqualTo(ExecutionState.FINISHED);
    assertThat(Files.readAllLines(output)).containsExactly("one", "two");
    // the TaskManager's storage, not the local-only default
    assertThat(Recorder.list(seen)).containsExactly("StoreFileSystemAccess");
  }

  /** A sink whose snapshots fail while {@link #refuse} is set. */
  static final class RefusingSink implements io.baton.api.connector.Sink<Object> {
    static volatile boolean refuse = true;

    @Override
    public io.baton.api.connector.SinkWriter<Object> createWriter(
        io.baton.api.functions.TaskInfo taskInfo) {
      return new io.baton.api.connector.SinkWriter<>() {
        @Override
        public void write(Object record) {}

        @Override
        public byte[] snapshotState(long checkpointId) throws java.io.IOException {
          if (refuse) {
            throw new java.io.IOException("no room for a snapshot");
          }
          return new byte[0];
        }
      };
    }
  }

  /** Writes its records as lines to one file, through the task's file system, at the end. */
  record StorageSink(String uri, String seen) implements io.baton.api.connector.Sink<Object> {
    @Override
    public io.baton.api.connector.SinkWriter<Object> createWriter(
        io.baton.api.functions.TaskInfo taskInfo) {
      Recorder.add(seen, taskInfo.fileSystem().getClass().getSimpleName());
      StringBuilder lines = new StringBuilder();
      return new io.baton.api.connector.SinkWriter<>() {
        @Override
        public void write(Object record) {
          lines.append(record).append('\n');
        }

        @Override
        public void finish() throws java.io.IOException {
          try (java.io.OutputStream out = taskInfo.fileSystem().createAtomic(uri)) {
            out.write(lines.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
          }
        }
      };
    }
  }
}
