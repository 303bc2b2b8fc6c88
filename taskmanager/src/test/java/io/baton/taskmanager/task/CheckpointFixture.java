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
import io.baton.common.checkpoint.CheckpointAcknowledgement;
import io.baton.common.checkpoint.StateFileHandle;
import io.baton.common.config.Configuration;
import io.baton.common.deployment.TaskDeployment;
import io.baton.common.ids.ExecutionId;
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

/**
 * Runs checkpointing tasks on an in-memory network with real state files under one directory;
 * cancels whatever is left of them at the end.
 */
final class CheckpointFixture implements AutoCloseable {
  static final Duration DEADLINE = Duration.ofSeconds(10);
  static final int SOURCE = 1;
  static final int KEYED = 2;

  private final Path tmp;
  private final InMemoryNetwork network = new InMemoryNetwork();
  private final CapturingResponder responder = new CapturingResponder();
  private final ExecutorService io = Executors.newCachedThreadPool();
  private final FileStores stores = new FileStores(new Configuration());
  private final List<Task> tasks = new ArrayList<>();
  private final Map<InMemoryResultPartition, TaggedRecordSerializer> producers = new HashMap<>();

  CheckpointFixture(Path tmp) {
    this.tmp = tmp;
  }

  CapturingResponder responder() {
    return responder;
  }

  /** A pipeline of {@code sources} feed subtasks and {@code keyed} sum -> commit subtasks. */
  Pipeline pipeline(int sources, int keyed) {
    return new Pipeline(sources, keyed);
  }

  @Override
  public void close() throws Exception {
    for (Task task : tasks) {
      task.cancel();
      task.terminationFuture().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }
    io.shutdownNow();
    stores.close();
  }

  /**
   * Runs source (parallelism 1) -> keyed sum + sink at the pipeline's parallelism, feeds {@code
   * count} random records (added to {@code sums}), takes checkpoint 1 and stops; returns its acks.
   */
  List<CheckpointAcknowledgement> checkpointedRun(
      Pipeline pipeline, Map<String, Integer> sums, int count) throws Exception {
    TestDeployment deployment = pipeline.deployment();
    Map<Task, TaskDeployment> started = pipeline.startAll(deployment);
    feedRandom(pipeline.feed, sums, count, new Random(count));
    await().atMost(DEADLINE).until(() -> Recorder.list(pipeline.sink.records()).size() == count);
    trigger(deployment, 1, 1);
    await().atMost(DEADLINE).until(() -> responder.acksOf(1).size() == started.size());
    List<CheckpointAcknowledgement> acks = List.copyOf(responder.acksOf(1));
    for (Task task : started.keySet()) {
      task.cancel();
      task.terminationFuture().get(10, TimeUnit.SECONDS);
    }
    responder.acks.clear();
    return acks;
  }

  static void feedRandom(FeedSource feed, Map<String, Integer> sums, int count, Random random) {
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
  static List<StateFileHandle> restoreStateFor(
      List<CheckpointAcknowledgement> acks, int subtask, int parallelism) {
    int first = KeyGroups.firstKeyGroup(subtask, 128, parallelism);
    int last = KeyGroups.lastKeyGroup(subtask, 128, parallelism);
    List<StateFileHandle> handles = new ArrayList<>();
    for (CheckpointAcknowledgement ack : acks) {
      for (StateFileHandle handle : ack.state()) {
        boolean overlaps = handle.keyGroupStart() <= last && handle.keyGroupEnd() >= first;
        if (handle.kind().equals("sink") || (handle.kind().equals("keyed") && overlaps)) {
          handles.add(handle);
        }
      }
    }
    return handles;
  }

  static List<StateFileHandle> sourceHandles(List<CheckpointAcknowledgement> acks) {
    return acks.stream()
        .flatMap(a -> a.state().stream())
        .filter(h -> h.kind().equals("source"))
        .toList();
  }

  /** source "feed" (FeedSource) -HASH-> "sum" (keyed running sum) -> "commit" (sink). */
  final class Pipeline {
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
                      new RunningSum(),
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
    Map<Task, TaskDeployment> startAll(TestDeployment deployment) {
      Map<Task, TaskDeployment> started = new LinkedHashMap<>();
      for (int s = 0; s < keyed; s++) {
        TaskDeployment request = withCheckpointing(deployment.descriptor(KEYED, s), deployment);
        started.put(start(request, new RecordingListener()), request);
      }
      for (int s = 0; s < sources; s++) {
        TaskDeployment request = withCheckpointing(deployment.descriptor(SOURCE, s), deployment);
        started.put(start(request, new RecordingListener()), request);
      }
      return started;
    }
  }

  static OperatorSpec spec(String name, OperatorKind kind, Serializable function) {
    return new OperatorSpec(name, name, kind, function, null);
  }

  TaskDeployment withCheckpointing(TaskDeployment request, TestDeployment deployment) {
    return TestDeployment.withJobConfig(
        request,
        Map.of(
            "execution.checkpointing.interval",
            "1 h",
            "state.checkpoints.dir",
            tmp.toUri().toString()));
  }

  Path checkpointDir(TestDeployment deployment, long checkpointId) {
    return tmp.resolve(deployment.jobId().value()).resolve("chk-" + checkpointId);
  }

  String dirUri(TestDeployment deployment, long checkpointId) {
    return checkpointDir(deployment, checkpointId).toUri().toString();
  }

  void trigger(TestDeployment deployment, int sources, long checkpointId) {
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

  Task taskOf(String executionId) {
    return tasks.stream()
        .filter(t -> t.executionId().value().equals(executionId))
        .findFirst()
        .orElseThrow();
  }

  static TaskDeployment requestOf(Map<Task, TaskDeployment> started, ExecutionId executionId) {
    return started.values().stream()
        .filter(r -> r.executionId().equals(executionId))
        .findFirst()
        .orElseThrow();
  }

  Task start(TaskDeployment descriptor, TaskListener listener) {
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

  InMemoryResultPartition producer(TestDeployment deployment, int subtask) {
    InMemoryResultPartition partition =
        network.createResultPartition(deployment.descriptor(SOURCE, subtask).outputs().get(0));
    producers.put(partition, new TaggedRecordSerializer(getClass().getClassLoader()));
    return partition;
  }

  void emit(InMemoryResultPartition partition, Object record) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    producers.get(partition).serialize(record, new DataOutputStream(bytes));
    partition.emitRecord(bytes.toByteArray(), 0, bytes.size(), 0);
  }

  static List<StateFileHandle> keyedHandles(List<CheckpointAcknowledgement> acks) {
    return acks.stream()
        .flatMap(a -> a.state().stream())
        .filter(h -> h.kind().equals("keyed"))
        .toList();
  }

  static List<String> sourceStates(List<CheckpointAcknowledgement> acks) throws Exception {
    List<String> states = new ArrayList<>();
    for (StateFileHandle handle : sourceHandles(acks)) {
      states.add(Files.readString(Path.of(URI.create(handle.path()))));
    }
    return states;
  }

  /** The "sum" value of every key in the keyed state files. */
  Map<String, Integer> sums(List<StateFileHandle> handles) throws Exception {
    HeapKeyedStateBackend all = HeapKeyedStateBackend.forSubtask("check", 0, 1, 128);
    for (StateFileHandle handle : handles) {
      try (InputStream in = Files.newInputStream(Path.of(URI.create(handle.path())))) {
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

  static long crc32c(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    return crc.getValue();
  }
}
