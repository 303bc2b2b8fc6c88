package io.baton.taskmanager.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.baton.api.functions.KeySelector;
import io.baton.api.graph.JobGraph;
import io.baton.api.graph.JobVertex;
import io.baton.api.graph.OperatorKind;
import io.baton.api.graph.OperatorSpec;
import io.baton.api.graph.Partitioning;
import io.baton.api.state.ValueState;
import io.baton.api.state.ValueStateDescriptor;
import io.baton.api.tuple.Tuple2;
import io.baton.common.config.Configuration;
import io.baton.common.rpc.CheckpointAck;
import io.baton.common.rpc.StateHandle;
import io.baton.common.rpc.SubmitTaskRequest;
import io.baton.common.rpc.TaskState;
import io.baton.common.serialization.TaggedRecordSerializer;
import io.baton.common.state.KeyGroups;
import io.baton.storage.FileStores;
import io.baton.taskmanager.state.HeapKeyedStateBackend;
import io.baton.taskmanager.state.KeyedStateSnapshot;
import io.baton.taskmanager.task.InMemoryNetwork.InMemoryResultPartition;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskCheckpointTest {
  private static final Duration DEADLINE = Duration.ofSeconds(10);
  private static final int SOURCE = 1;
  private static final int KEYED = 2;

  @TempDir Path tmp;

  private final InMemoryNetwork network = new InMemoryNetwork();
  private final CapturingResponder responder = new CapturingResponder();
  private final ExecutorService io = Executors.newCachedThreadPool();
  private final FileStores stores = new FileStores(new Configuration());
  private final List<Task> tasks = new ArrayList<>();
  private final Map<InMemoryResultPartition, TaggedRecordSerializer> producers = new HashMap<>();

  @AfterEach
  void stopTasks() throws Exception {
    for (Task task : tasks) {
      task.cancel();
      task.terminationFuture().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }
    io.shutdownNow();
    stores.close();
  }

  @Test
  void everyTaskAcknowledgesWithFilesWhoseChecksumsMatchAndSinksCommitOnCompletion()
      throws Exception {
    Pipeline pipeline = new Pipeline(2, 2);
    TestDeployment deployment = pipeline.deployment();
    Map<Task, SubmitTaskRequest> started = pipeline.startAll(deployment);
    FeedSource.feed(pipeline.feed.id(), 0, Tuple2.of("a", 1), Tuple2.of("b", 2));
    FeedSource.feed(pipeline.feed.id(), 1, Tuple2.of("a", 3), Tuple2.of("c", 4));
    await().atMost(DEADLINE).until(() -> Recorder.list(pipeline.sink.records()).size() == 4);

    trigger(deployment, pipeline.sources, 1);

    await().atMost(DEADLINE).until(() -> responder.acksOf(1).size() == 4);
    assertThat(responder.declines).isEmpty();
    assertThat(responder.acks.stream().map(CheckpointAck::getExecutionId))
        .containsExactlyInAnyOrderElementsOf(
            started.values().stream().map(SubmitTaskRequest::getExecutionId).toList());
    Path checkpointDir = checkpointDir(deployment, 1);
    for (CheckpointAck ack : responder.acks) {
      SubmitTaskRequest task = requestOf(started, ack.getExecutionId());
      List<String> files =
          ack.getStateList().stream()
              .map(h -> Path.of(URI.create(h.getPath())))
              .map(p -> p.getFileName().toString())
              .toList();
      int v = task.getVertexId();
      int s = task.getSubtaskIndex();
      if (v == SOURCE) {
        assertThat(files).containsExactly(v + "_" + s + "_0_source");
      } else {
        assertThat(files).containsExactly(v + "_" + s + "_0_keyed", v + "_" + s + "_1_sink");
        StateHandle keyed = ack.getState(0);
        assertThat(keyed.getKeyGroupStart()).isEqualTo(KeyGroups.firstKeyGroup(s, 128, 2));
        assertThat(keyed.getKeyGroupEnd()).isEqualTo(KeyGroups.lastKeyGroup(s, 128, 2));
      }
      for (StateHandle handle : ack.getStateList()) {
        Path file = Path.of(URI.create(handle.getPath()));
        assertThat(file.getParent()).isEqualTo(checkpointDir);
        byte[] bytes = Files.readAllBytes(file);
        assertThat(handle.getSizeBytes()).isEqualTo(bytes.length);
        assertThat(handle.getChecksum()).isEqualTo(crc32c(bytes));
        assertThat(handle.getSubtaskIndex()).isEqualTo(s);
        assertThat(handle.getParallelism()).isEqualTo(2);
      }
    }
    assertThat(sums(keyedHandles(responder.acks))).isEqualTo(Map.of("a", 4, "b", 2, "c", 4));
    assertThat(sourceStates(responder.acks)).containsExactlyInAnyOrder("0:2", "1:2");

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
    Pipeline pipeline = new Pipeline(1, 2);
    TestDeployment deployment = pipeline.deployment();
    Map<Task, SubmitTaskRequest> started = pipeline.startAll(deployment);
    FeedSource.feed(pipeline.feed.id(), 0, Tuple2.of("a", 1), Tuple2.of("b", 2));
    await().atMost(DEADLINE).until(() -> Recorder.list(pipeline.sink.records()).size() == 2);
    Path savepoint = tmp.resolve("savepoints").resolve("savepoint-1");

    Task source = taskOf(deployment.execution(SOURCE, 0).value());
    assertThat(source.triggerCheckpoint(5, 0, savepoint.toUri().toString(), true)).isTrue();

    await().atMost(DEADLINE).until(() -> responder.acksOf(5).size() == started.size());
    assertThat(responder.acks.stream().flatMap(a -> a.getStateList().stream()))
        .hasSize(5)
        .allSatisfy(
            handle -> {
              Path file = Path.of(URI.create(handle.getPath()));
              assertThat(file.getParent()).isEqualTo(savepoint);
              assertThat(file).exists();
            });
    assertThat(sums(keyedHandles(responder.acks))).isEqualTo(Map.of("a", 1, "b", 2));
    assertThat(checkpointDir(deployment, 5)).doesNotExist();
  }

  @Test
  void recordsBehindAnEarlyBarrierWaitUntilTheCheckpointIsTaken() throws Exception {
    Pipeline pipeline = new Pipeline(2, 1);
    TestDeployment deployment = pipeline.deployment();
    InMemoryResultPartition early = producer(deployment, 0);
    InMemoryResultPartition late = producer(deployment, 1);
    Task keyed =
        start(
            withCheckpointing(deployment.descriptor(KEYED, 0), deployment),
            new RecordingListener());

    emit(early, Tuple2.of("a", 1));
    early.broadcastBarrier(1, 0);
    emit(early, Tuple2.of("a", 100));
    early.flushAll();
    emit(late, Tuple2.of("a", 10));
    late.flushAll();
    // the late channel's record is processed, the early channel's record waits behind the barrier
    await()
        .atMost(DEADLINE)
        .until(() -> Recorder.list(pipeline.sink.records()).contains(Tuple2.of("a", 11)));
    assertThat(responder.acks).isEmpty();

    late.broadcastBarrier(1, 0);

    await().atMost(DEADLINE).until(() -> responder.acksOf(1).size() == 1);
    assertThat(sums(keyedHandles(responder.acks))).isEqualTo(Map.of("a", 11));
    await()
        .atMost(DEADLINE)
        .until(() -> Recorder.list(pipeline.sink.records()).contains(Tuple2.of("a", 111)));
    assertThat(keyed.state()).isEqualTo(TaskState.RUNNING);
  }

  @Test
  void aNewerBarrierOrAnAbortEndsTheAlignmentInProgress() throws Exception {
    Pipeline pipeline = new Pipeline(2, 1);
    TestDeployment deployment = pipeline.deployment();
    InMemoryResultPartition first = producer(deployment, 0);
    InMemoryResultPartition second = producer(deployment, 1);
    Task keyed =
        start(
            withCheckpointing(deployment.descriptor(KEYED, 0), deployment),
            new RecordingListener());

    first.broadcastBarrier(1, 0);
    emit(first, Tuple2.of("a", 1));
    first.flushAll();
    second.broadcastBarrier(2, 0);
    // checkpoint 1 is given up: the first channel flows again
    await()
        .atMost(DEADLINE)
        .until(() -> Recorder.list(pipeline.sink.records()).contains(Tuple2.of("a", 1)));
    first.broadcastBarrier(2, 0);
    await().atMost(DEADLINE).until(() -> responder.acksOf(2).size() == 1);

    first.broadcastBarrier(3, 0);
    emit(first, Tuple2.of("a", 5));
    first.flushAll();
    assertThat(keyed.notifyCheckpointAborted(3)).isTrue();
    await()
        .atMost(DEADLINE)
        .until(() -> Recorder.list(pipeline.sink.records()).contains(Tuple2.of("a", 6)));
    second.broadcastBarrier(3, 0);
    first.broadcastBarrier(4, 0);
    second.broadcastBarrier(4, 0);

    await().atMost(DEADLINE).until(() -> responder.acksOf(4).size() == 1);
    assertThat(responder.acksOf(1)).isEmpty();
    assertThat(responder.acksOf(3)).isEmpty();
    assertThat(sums(keyedHandles(responder.acksOf(2)))).isEqualTo(Map.of("a", 1));
    assertThat(sums(keyedHandles(responder.acksOf(4)))).isEqualTo(Map.of("a", 6));
  }

  @Test
  void keyedStateTakenAtParallelismFourIsRestoredAtParallelismTwo() throws Exception {
    restoresRescaled(4, 2);
  }

  @Test
  void keyedStateTakenAtParallelismTwoIsRestoredAtParallelismFour() throws Exception {
    restoresRescaled(2, 4);
  }

  @Test
  void aCorruptStateFileFailsTheTaskNamingTheFile() throws Exception {
    Pipeline before = new Pipeline(1, 2);
    List<CheckpointAck> acks = checkpointedRun(before, new HashMap<>(), 30);
    StateHandle damaged = keyedHandles(acks).get(0);
    Path file = Path.of(URI.create(damaged.getPath()));
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(file, bytes);

    Pipeline after = new Pipeline(1, 2);
    TestDeployment deployment = after.deployment();
    RecordingListener listener = new RecordingListener();
    SubmitTaskRequest restoring =
        deployment.descriptor(KEYED, damaged.getSubtaskIndex()).toBuilder()
            .setRestoreCheckpointId(1)
            .addAllRestoreState(restoreStateFor(acks, damaged.getSubtaskIndex(), 2))
            .build();
    Task task = start(restoring, listener);

    assertThat(task.terminationFuture().get(10, TimeUnit.SECONDS)).isEqualTo(TaskState.FAILED);
    assertThat(listener.last().cause())
        .hasMessageContaining("state file " + damaged.getPath() + " is corrupt");
    assertThat(Recorder.list(after.sink.events())).isEmpty();
  }

  @Test
  void aBoundedSourceWithCheckpointingEndsOnlyAfterACheckpointCompletes() throws Exception {
    Pipeline pipeline = new Pipeline(1, 1);
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
    Task task = start(withCheckpointing(deployment.descriptor(SOURCE, 0), deployment), listener);
    FeedSource.feed(pipeline.feed.id(), 0, "x");
    await().atMost(DEADLINE).until(() -> Recorder.list(pipeline.sink.records()).contains("x"));
    // a checkpoint taken before the end does not cover the end
    assertThat(task.triggerCheckpoint(1, 0, dirUri(deployment, 1), false)).isTrue();
    await().atMost(DEADLINE).until(() -> responder.acksOf(1).size() == 1);
    FeedSource.feed(pipeline.feed.id(), 0, "y");
    FeedSource.end(pipeline.feed.id(), 0);
    await().atMost(DEADLINE).until(() -> Recorder.list(pipeline.feed.ended()).contains(0));
    assertThat(task.notifyCheckpointComplete(1)).isTrue();

    // an aborted one does not either
    assertThat(task.triggerCheckpoint(2, 0, dirUri(deployment, 2), false)).isTrue();
    await().atMost(DEADLINE).until(() -> responder.acksOf(2).size() == 1);
    assertThat(task.notifyCheckpointAborted(2)).isTrue();
    assertThat(task.triggerCheckpoint(3, 0, dirUri(deployment, 3), false)).isTrue();
    await().atMost(DEADLINE).until(() -> responder.acksOf(3).size() == 1);
    assertThat(task.state()).isEqualTo(TaskState.RUNNING);
    assertThat(Recorder.list(pipeline.sink.events())).doesNotContain("finish 0");

    assertThat(task.notifyCheckpointComplete(3)).isTrue();

    assertThat(task.terminationFuture().get(10, TimeUnit.SECONDS)).isEqualTo(TaskState.FINISHED);
    assertThat(Recorder.list(pipeline.sink.records())).containsExactly("x", "y");
    assertThat(Recorder.list(pipeline.sink.events()))
        .containsExactly(
            "snapshot 1 0", "commit 1 0", "snapshot 2 0", "snapshot 3 0", "commit 3 0", "finish 0");
    assertThat(task.triggerCheckpoint(4, 0, dirUri(deployment, 4), false)).isFalse();
  }

  @Test
  void aBoundedSourceWithoutCheckpointingEndsAtOnce() throws Exception {
    Pipeline pipeline = new Pipeline(1, 1);
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
    Task task = start(deployment.descriptor(SOURCE, 0), new RecordingListener());
    FeedSource.feed(pipeline.feed.id(), 0, "x");
    FeedSource.end(pipeline.feed.id(), 0);

    assertThat(task.terminationFuture().get(10, TimeUnit.SECONDS)).isEqualTo(TaskState.FINISHED);
    assertThat(Recorder.list(pipeline.sink.events())).containsExactly("finish 0");
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
        start(
            withCheckpointing(deployment.descriptor(SOURCE, 0), deployment),
            new RecordingListener());
    Path notADirectory = Files.writeString(tmp.resolve("occupied"), "a file, not a directory");

    assertThat(task.triggerCheckpoint(1, 0, dirUri(deployment, 1), false)).isTrue();
    await().atMost(DEADLINE).until(() -> responder.declines.size() == 1);
    assertThat(responder.declines.get(0).getCheckpointId()).isEqualTo(1);
    assertThat(responder.declines.get(0).getReason())
        .startsWith("feed -> refuse (1/1)#0: its snapshot failed")
        .contains("no room for a snapshot");

    RefusingSink.refuse = false;
    assertThat(
            task.triggerCheckpoint(2, 0, notADirectory.resolve("chk-2").toUri().toString(), false))
        .isTrue();
    await().atMost(DEADLINE).until(() -> responder.declines.size() == 2);
    assertThat(responder.declines.get(1).getCheckpointId()).isEqualTo(2);
    assertThat(responder.declines.get(1).getReason()).contains("writing its state to");
    assertThat(responder.acks).isEmpty();

    FeedSource.feed(feed.id(), 0, "still running");
    await().atMost(DEADLINE).until(() -> task.metrics().getRecordsIn() == 1);
    assertThat(task.state()).isEqualTo(TaskState.RUNNING);
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
    Task task = start(deployment.descriptor(SOURCE, 0), new RecordingListener());
    FeedSource.feed(feed.id(), 0, "one", "two");
    FeedSource.end(feed.id(), 0);

    assertThat(task.terminationFuture().get(10, TimeUnit.SECONDS)).isEqualTo(TaskState.FINISHED);
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

  // ---------------------------------------------------------------- rescaling

  private void restoresRescaled(int before, int after) throws Exception {
    Map<String, Integer> expected = new HashMap<>();
    List<CheckpointAck> acks = checkpointedRun(new Pipeline(1, before), expected, 200);

    Pipeline restored = new Pipeline(1, after);
    TestDeployment deployment = restored.deployment();
    List<Task> keyedTasks = new ArrayList<>();
    for (int s = 0; s < after; s++) {
      keyedTasks.add(
          start(
              deployment.descriptor(KEYED, s).toBuilder()
                  .setRestoreCheckpointId(1)
                  .addAllRestoreState(restoreStateFor(acks, s, after))
                  .build(),
              new RecordingListener()));
    }
    Task source =
        start(
            deployment.descriptor(SOURCE, 0).toBuilder()
                .setRestoreCheckpointId(1)
                .addAllRestoreState(sourceHandles(acks))
                .build(),
            new RecordingListener());
    feedRandom(restored.feed, expected, 100, new Random(after));
    FeedSource.end(restored.feed.id(), 0);

    assertThat(source.terminationFuture().get(10, TimeUnit.SECONDS)).isEqualTo(TaskState.FINISHED);
    for (Task task : keyedTasks) {
      assertThat(task.terminationFuture().get(10, TimeUnit.SECONDS)).isEqualTo(TaskState.FINISHED);
    }
    Map<String, Integer> totals = new HashMap<>();
    for (Object record : Recorder.list(restored.sink.records())) {
      @SuppressWarnings("unchecked")
      Tuple2<String, Integer> t = (Tuple2<String, Integer>) record;
      if (t.f0().startsWith("total ")) {
        totals.put(t.f0().substring("total ".length()), t.f1());
      }
    }
    assertThat(totals).isEqualTo(expected);
    assertThat(Recorder.list(restored.feed.restored())).containsExactly("same 0:200");
    assertThat(Recorder.list(restored.sink.events()))
        .filteredOn(e -> e.toString().startsWith("restored"))
        .hasSize(after)
        .allSatisfy(e -> assertThat(e.toString()).startsWith("restored rescaled [0:"));
  }

  /**
   * Runs source (parallelism 1) -> keyed sum + sink at the pipeline's parallelism, feeds {@code
   * count} random records (added to {@code sums}), takes checkpoint 1 and stops; returns its acks.
   */
  private List<CheckpointAck> checkpointedRun(
      Pipeline pipeline, Map<String, Integer> sums, int count) throws Exception {
    TestDeployment deployment = pipeline.deployment();
    Map<Task, SubmitTaskRequest> started = pipeline.startAll(deployment);
    feedRandom(pipeline.feed, sums, count, new Random(count));
    await().atMost(DEADLINE).until(() -> Recorder.list(pipeline.sink.records()).size() == count);
    trigger(deployment, 1, 1);
    await().atMost(DEADLINE).until(() -> responder.acksOf(1).size() == started.size());
    List<CheckpointAck> acks = List.copyOf(responder.acksOf(1));
    for (Task task : started.keySet()) {
      task.cancel();
      task.terminationFuture().get(10, TimeUnit.SECONDS);
    }
    responder.acks.clear();
    return acks;
  }

  private static void feedRandom(
      FeedSource feed, Map<String, Integer> sums, int count, Random random) {
    for (int i = 0; i < count; i++) {
      String key = "k" + random.nextInt(40);
      int value = random.nextInt(100);
      sums.merge(key, value, Integer::sum);
      FeedSource.feed(feed.id(), 0, Tuple2.of(key, value));
    }
  }

  /**
   * What the coordinator sends a restoring keyed subtask: keyed handles whose key groups overlap
   * its own, and all sink handles (the parallelism changed).
   */
  private static List<StateHandle> restoreStateFor(
      List<CheckpointAck> acks, int subtask, int parallelism) {
    int first = KeyGroups.firstKeyGroup(subtask, 128, parallelism);
    int last = KeyGroups.lastKeyGroup(subtask, 128, parallelism);
    List<StateHandle> handles = new ArrayList<>();
    for (CheckpointAck ack : acks) {
      for (StateHandle handle : ack.getStateList()) {
        boolean overlaps = handle.getKeyGroupStart() <= last && handle.getKeyGroupEnd() >= first;
        if (handle.getKind().equals("sink") || (handle.getKind().equals("keyed") && overlaps)) {
          handles.add(handle);
        }
      }
    }
    return handles;
  }

  private static List<StateHandle> sourceHandles(List<CheckpointAck> acks) {
    return acks.stream()
        .flatMap(a -> a.getStateList().stream())
        .filter(h -> h.getKind().equals("source"))
        .toList();
  }

  // ---------------------------------------------------------------- helpers

  /** source "feed" (FeedSource) -HASH-> "sum" (keyed running sum) -> "commit" (sink). */
  private final class Pipeline {
    final FeedSource feed = new FeedSource(Recorder.newId());
    final CommittingSink sink = new CommittingSink(Recorder.newId());
    final int sources;
    final int keyed;

    Pipeline(int sources, int keyed) {
      this.sources = sources;
      this.keyed = keyed;
    }

    TestDeployment deployment() {
      JobVertex source =
          new JobVertex(
              SOURCE, "feed", sources, 128, List.of(spec("feed", OperatorKind.SOURCE, feed)));
      JobVertex sum =
          new JobVertex(
              KEYED,
              "sum -> commit",
              keyed,
              128,
              List.of(
                  new OperatorSpec(
                      "sum",
                      "sum",
                      OperatorKind.KEYED_PROCESS,
                      new TaskTest.RunningSum(),
                      (KeySelector<Tuple2<String, Integer>, String>) Tuple2::f0),
                  spec("commit", OperatorKind.SINK, sink)));
      JobGraph graph =
          JobGraph.builder("checkpointed")
              .addVertex(source)
              .addVertex(sum)
              .connect(
                  SOURCE,
                  KEYED,
                  Partitioning.HASH,
                  (KeySelector<Tuple2<String, Integer>, String>) Tuple2::f0)
              .build();
      return new TestDeployment(graph);
    }

    /** Starts every subtask, consumers first. */
    Map<Task, SubmitTaskRequest> startAll(TestDeployment deployment) {
      Map<Task, SubmitTaskRequest> started = new LinkedHashMap<>();
      for (int s = 0; s < keyed; s++) {
        SubmitTaskRequest request = withCheckpointing(deployment.descriptor(KEYED, s), deployment);
        started.put(start(request, new RecordingListener()), request);
      }
      for (int s = 0; s < sources; s++) {
        SubmitTaskRequest request = withCheckpointing(deployment.descriptor(SOURCE, s), deployment);
        started.put(start(request, new RecordingListener()), request);
      }
      return started;
    }
  }

  private static OperatorSpec spec(String name, OperatorKind kind, Serializable function) {
    return new OperatorSpec(name, name, kind, function, null);
  }

  private SubmitTaskRequest withCheckpointing(
      SubmitTaskRequest request, TestDeployment deployment) {
    return request.toBuilder()
        .putJobConfig("execution.checkpointing.interval", "1 h")
        .putJobConfig("state.checkpoints.dir", tmp.toUri().toString())
        .build();
  }

  private Path checkpointDir(TestDeployment deployment, long checkpointId) {
    return tmp.resolve(deployment.jobId().value()).resolve("chk-" + checkpointId);
  }

  private String dirUri(TestDeployment deployment, long checkpointId) {
    return checkpointDir(deployment, checkpointId).toUri().toString();
  }

  private void trigger(TestDeployment deployment, int sources, long checkpointId) {
    for (int s = 0; s < sources; s++) {
      Task task = taskOf(deployment.execution(SOURCE, s).value());
      assertThat(
              task.triggerCheckpoint(
                  checkpointId,
                  System.currentTimeMillis(),
                  dirUri(deployment, checkpointId),
                  false))
          .isTrue();
    }
  }

  private Task taskOf(String executionId) {
    return tasks.stream()
        .filter(t -> t.executionId().value().equals(executionId))
        .findFirst()
        .orElseThrow();
  }

  private static SubmitTaskRequest requestOf(
      Map<Task, SubmitTaskRequest> started, String executionId) {
    return started.values().stream()
        .filter(r -> r.getExecutionId().equals(executionId))
        .findFirst()
        .orElseThrow();
  }

  private Task start(SubmitTaskRequest descriptor, TaskListener listener) {
    Task task =
        new Task(
            new TaskEnvironment(
                descriptor,
                getClass().getClassLoader(),
                network,
                listener,
                new Configuration(),
                RecordSerializerFactory.tagged(),
                stores,
                responder,
                io));
    tasks.add(task);
    task.start();
    return task;
  }

  private InMemoryResultPartition producer(TestDeployment deployment, int subtask) {
    InMemoryResultPartition partition =
        network.createResultPartition(deployment.descriptor(SOURCE, subtask).getOutputs(0));
    producers.put(partition, new TaggedRecordSerializer(getClass().getClassLoader()));
    return partition;
  }

  private void emit(InMemoryResultPartition partition, Object record) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    producers.get(partition).serialize(record, new DataOutputStream(bytes));
    partition.emitRecord(bytes.toByteArray(), 0, bytes.size(), 0);
  }

  private static List<StateHandle> keyedHandles(List<CheckpointAck> acks) {
    return acks.stream()
        .flatMap(a -> a.getStateList().stream())
        .filter(h -> h.getKind().equals("keyed"))
        .toList();
  }

  private static List<String> sourceStates(List<CheckpointAck> acks) throws Exception {
    List<String> states = new ArrayList<>();
    for (StateHandle handle : sourceHandles(acks)) {
      states.add(Files.readString(Path.of(URI.create(handle.getPath()))));
    }
    return states;
  }

  /** The "sum" value of every key in the keyed state files. */
  private Map<String, Integer> sums(List<StateHandle> handles) throws Exception {
    HeapKeyedStateBackend all = HeapKeyedStateBackend.forSubtask("check", 0, 1, 128);
    for (StateHandle handle : handles) {
      try (InputStream in = Files.newInputStream(Path.of(URI.create(handle.getPath())))) {
        KeyedStateSnapshot.restoreInto(
            new DataInputStream(in), new TaggedRecordSerializer(getClass().getClassLoader()), all);
      }
    }
    ValueState<Integer> sum = all.getValueState(new ValueStateDescriptor<>("sum", Integer.class));
    Map<String, Integer> sums = new HashMap<>();
    for (Object key : all.keys()) {
      all.setCurrentKey(key);
      sums.put((String) key, sum.value());
    }
    return sums;
  }

  private static long crc32c(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    return crc.getValue();
  }
}
