package io.baton.taskmanager.task;

import static io.baton.taskmanager.task.TaskFixture.DEADLINE;
import static io.baton.taskmanager.task.TaskFixture.graph;
import static io.baton.taskmanager.task.TaskFixture.op;
import static io.baton.taskmanager.task.TaskFixture.source;
import static io.baton.taskmanager.task.TaskFixture.vertex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.baton.api.functions.FilterFunction;
import io.baton.api.functions.KeySelector;
import io.baton.api.functions.MapFunction;
import io.baton.api.functions.RuntimeContext;
import io.baton.api.graph.JobGraph;
import io.baton.api.graph.JobVertex;
import io.baton.api.graph.OperatorKind;
import io.baton.api.graph.Partitioning;
import io.baton.api.state.ValueStateDescriptor;
import io.baton.common.deployment.TaskDeployment;
import io.baton.common.execution.ExecutionState;
import io.baton.taskmanager.task.InMemoryNetwork.InMemoryResultPartition;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Tasks that fail, are canceled, or cannot start. */
class TaskFailureTest {
  private final TaskFixture fixture = new TaskFixture();

  @AfterEach
  void cancelLeftovers() throws Exception {
    fixture.close();
  }

  @Test
  void failingUserFunctionFailsTheTaskWithItsCauseAndReleasesTheOutputs() throws Exception {
    String closes = Recorder.newId();
    JobVertex producer =
        vertex(
            1,
            1,
            source("numbers", TestSources.of(IntStream.range(0, 10).boxed().toList())),
            op("explode at five", OperatorKind.MAP, new ExplodingMap(5, closes)));
    JobVertex consumer =
        vertex(2, 1, op("print", OperatorKind.SINK, new CollectingSink(Recorder.newId())));
    JobGraph graph =
        JobGraph.builder("failing")
            .addVertex(producer)
            .addVertex(consumer)
            .connect(1, 2, Partitioning.REBALANCE, null)
            .build();
    TestDeployment deployment = new TestDeployment(graph);
    RecordingListener listener = new RecordingListener();
    Task task = fixture.start(deployment.descriptor(1, 0), listener);

    assertThat(task.terminationFuture().get(10, TimeUnit.SECONDS)).isEqualTo(ExecutionState.FAILED);
    assertThat(listener.states()).containsExactly(ExecutionState.RUNNING, ExecutionState.FAILED);
    Throwable cause = listener.last().cause();
    assertThat(cause).isInstanceOf(IOException.class).hasMessage("cannot map 5");
    assertThat(Recorder.list(closes)).containsExactly("closed");
    InMemoryResultPartition output =
        fixture.network().partition(deployment.partitionId(graph.edges().get(0), 0));
    assertThat(output.releasedBecause()).isSameAs(cause);
    assertThat(output.isFinished()).isFalse();
  }

  @Test
  void cancelStopsAnEndlessSourceAndClosesItsReader() throws Exception {
    String readerEvents = Recorder.newId();
    JobVertex vertex =
        vertex(
            1,
            1,
            source("endless", TestSources.endless(readerEvents)),
            op("drop", OperatorKind.FILTER, (FilterFunction<Long>) x -> false));
    RecordingListener listener = new RecordingListener();
    Task task = fixture.start(new TestDeployment(graph(vertex)).descriptor(1, 0), listener);
    // the source idles after every 50 records, asking for a minute; the task polls it each second
    await().atMost(DEADLINE).until(() -> task.metrics().recordsIn() > 100);

    task.cancel();
    task.cancel();

    assertThat(task.terminationFuture().get(5, TimeUnit.SECONDS))
        .isEqualTo(ExecutionState.CANCELED);
    assertThat(listener.states()).containsExactly(ExecutionState.RUNNING, ExecutionState.CANCELED);
    assertThat(Recorder.list(readerEvents)).containsExactly("open", "close");
    assertThat(task.state()).isEqualTo(ExecutionState.CANCELED);
  }

  @Test
  void cancelUnblocksATaskWaitingForRoomInItsOutput() throws Exception {
    JobVertex producer = vertex(1, 1, source("endless", TestSources.endless(Recorder.newId())));
    JobVertex consumer =
        vertex(2, 1, op("print", OperatorKind.SINK, new CollectingSink(Recorder.newId())));
    JobGraph graph =
        JobGraph.builder("stuck")
            .addVertex(producer)
            .addVertex(consumer)
            .connect(1, 2, Partitioning.FORWARD, null)
            .build();
    TestDeployment deployment = new TestDeployment(graph);
    RecordingListener listener = new RecordingListener();
    Task task = fixture.start(deployment.descriptor(1, 0), listener);
    String partitionId = deployment.partitionId(graph.edges().get(0), 0);
    // nobody consumes: once its queue is full the task blocks in emitRecord
    await()
        .atMost(DEADLINE)
        .until(
            () ->
                fixture.network().hasPartition(partitionId)
                    && fixture.network().partition(partitionId).backpressuredNanos() > 0);

    task.cancel();

    assertThat(task.terminationFuture().get(5, TimeUnit.SECONDS))
        .isEqualTo(ExecutionState.CANCELED);
    assertThat(listener.states()).containsExactly(ExecutionState.RUNNING, ExecutionState.CANCELED);
    assertThat(fixture.network().partition(partitionId).releasedBecause()).isNotNull();
  }

  @Test
  void keyedStateOutsideAKeyedOperatorFailsTheTaskNamingTheOperator() throws Exception {
    JobVertex vertex =
        vertex(
            1,
            1,
            source("numbers", TestSources.of(List.of(1, 2, 3))),
            op("counting map", OperatorKind.MAP, new StatefulMap()),
            op("print", OperatorKind.SINK, new CollectingSink(Recorder.newId())));
    RecordingListener listener = new RecordingListener();
    Task task = fixture.start(new TestDeployment(graph(vertex)).descriptor(1, 0), listener);

    assertThat(task.terminationFuture().get(10, TimeUnit.SECONDS)).isEqualTo(ExecutionState.FAILED);
    assertThat(listener.states()).containsExactly(ExecutionState.FAILED);
    assertThat(listener.last().cause())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("keyed state is only available after keyBy: operator 'counting map'");
  }

  @Test
  void aTaskCanceledBeforeItStartsNeverRuns() throws Exception {
    String readerEvents = Recorder.newId();
    JobVertex vertex = vertex(1, 1, source("endless", TestSources.endless(readerEvents)));
    RecordingListener listener = new RecordingListener();
    Task task =
        fixture.track(fixture.task(new TestDeployment(graph(vertex)).descriptor(1, 0), listener));

    task.cancel();
    task.start();

    assertThat(task.terminationFuture()).isCompletedWithValue(ExecutionState.CANCELED);
    assertThat(listener.states()).containsExactly(ExecutionState.CANCELED);
    assertThat(Recorder.list(readerEvents)).isEmpty();
  }

  @Test
  void anUnreadableVertexFailsTheTaskWithOneClearLine() throws Exception {
    JobVertex vertex = vertex(1, 1, source("numbers", TestSources.of(List.of(1))));
    TaskDeployment descriptor = new TestDeployment(graph(vertex)).descriptor(1, 0);
    descriptor =
        TestDeployment.withVertexBytes(
            descriptor, "not a vertex".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    RecordingListener listener = new RecordingListener();
    Task task = fixture.start(descriptor, listener);

    assertThat(task.terminationFuture().get(10, TimeUnit.SECONDS)).isEqualTo(ExecutionState.FAILED);
    assertThat(listener.last().cause())
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("cannot read the deployed vertex: ")
        .hasMessageContaining("invalid stream header");
  }

  @Test
  void cancelWhileUserCodeOpensStopsTheTaskBeforeItRuns() throws Exception {
    String opening = Recorder.newId();
    JobVertex vertex =
        vertex(
            1,
            1,
            source("numbers", TestSources.of(List.of(1))),
            op("slow open", OperatorKind.MAP, new BlockingOpen(opening)));
    RecordingListener listener = new RecordingListener();
    Task task = fixture.start(new TestDeployment(graph(vertex)).descriptor(1, 0), listener);
    await().atMost(DEADLINE).until(() -> Recorder.list(opening).contains("opening"));
    assertThat(task.state()).isEqualTo(ExecutionState.DEPLOYING);

    task.cancel();

    assertThat(task.terminationFuture().get(5, TimeUnit.SECONDS))
        .isEqualTo(ExecutionState.CANCELED);
    assertThat(listener.states()).containsExactly(ExecutionState.CANCELED);
    assertThat(Recorder.list(opening)).containsExactly("opening", "closed");
  }

  @Test
  void aHashOutputWithoutItsEdgeFailsNamingTheEdge() throws Exception {
    JobVertex producer = vertex(1, 1, source("words", TestSources.of(List.of("a"))));
    JobVertex consumer =
        vertex(2, 1, op("print", OperatorKind.SINK, new CollectingSink(Recorder.newId())));
    JobGraph graph =
        JobGraph.builder("hash")
            .addVertex(producer)
            .addVertex(consumer)
            .connect(1, 2, Partitioning.HASH, (KeySelector<String, String>) w -> w)
            .build();
    // an older deployer sends the bare vertex, without its outgoing edges
    TaskDeployment descriptor = new TestDeployment(graph).descriptor(1, 0);
    descriptor = TestDeployment.withVertexBytes(descriptor, TestDeployment.serialize(producer));
    RecordingListener listener = new RecordingListener();
    Task task = fixture.start(descriptor, listener);

    assertThat(task.terminationFuture().get(10, TimeUnit.SECONDS)).isEqualTo(ExecutionState.FAILED);
    assertThat(listener.last().cause())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "HASH output edge 0 of 'words' has no key selector: the deployed vertex lacks the"
                + " edge");
  }

  /** Throws a checked exception at one value; records its close. */
  record ExplodingMap(int at, String closes) implements MapFunction<Integer, Integer> {
    @Override
    public Integer map(Integer value) throws IOException {
      if (value == at) {
        throw new IOException("cannot map " + value);
      }
      return value;
    }

    @Override
    public void close() {
      Recorder.add(closes, "closed");
    }
  }

  /** Waits in open until interrupted. */
  record BlockingOpen(String events) implements MapFunction<Integer, Integer> {
    @Override
    public void open(RuntimeContext context) throws InterruptedException {
      Recorder.add(events, "opening");
      new java.util.concurrent.CountDownLatch(1).await();
    }

    @Override
    public Integer map(Integer value) {
      return value;
    }

    @Override
    public void close() {
      Recorder.add(events, "closed");
    }
  }

  /** Asks for keyed state without a keyBy. */
  static final class StatefulMap implements MapFunction<Integer, Integer> {
    @Override
    public void open(RuntimeContext context) {
      context.getState(new ValueStateDescriptor<>("count", Long.class));
    }

    @Override
    public Integer map(Integer value) {
      return value;
    }
  }
}
