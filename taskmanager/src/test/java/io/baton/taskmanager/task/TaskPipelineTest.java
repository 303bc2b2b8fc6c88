package io.baton.taskmanager.task;

import static io.baton.taskmanager.task.TaskFixture.DEADLINE;
import static io.baton.taskmanager.task.TaskFixture.emit;
import static io.baton.taskmanager.task.TaskFixture.graph;
import static io.baton.taskmanager.task.TaskFixture.op;
import static io.baton.taskmanager.task.TaskFixture.source;
import static io.baton.taskmanager.task.TaskFixture.vertex;
import static org.assertj.core.api.Assertions.assertThat;

import io.baton.api.functions.Collector;
import io.baton.api.functions.FilterFunction;
import io.baton.api.functions.FlatMapFunction;
import io.baton.api.functions.KeySelector;
import io.baton.api.functions.KeyedProcessFunction;
import io.baton.api.functions.MapFunction;
import io.baton.api.functions.RuntimeContext;
import io.baton.api.graph.JobEdge;
import io.baton.api.graph.JobGraph;
import io.baton.api.graph.JobVertex;
import io.baton.api.graph.OperatorKind;
import io.baton.api.graph.OperatorSpec;
import io.baton.api.graph.Partitioning;
import io.baton.api.state.ValueState;
import io.baton.api.state.ValueStateDescriptor;
import io.baton.api.tuple.Tuple2;
import io.baton.common.config.Configuration;
import io.baton.common.deployment.ResultPartitionDeployment;
import io.baton.common.deployment.TaskDeployment;
import io.baton.common.execution.ExecutionState;
import io.baton.taskmanager.task.InMemoryNetwork.InMemoryResultPartition;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Records flowing through chains, edges and keyed operators of running tasks. */
class TaskPipelineTest {
  private final TaskFixture fixture = new TaskFixture();

  @AfterEach
  void cancelLeftovers() throws Exception {
    fixture.close();
  }

  @Test
  void sourceChainRunsRecordsThroughMapFilterFlatMapIntoTheSink() throws Exception {
    CollectingSink sink = new CollectingSink(Recorder.newId());
    List<Integer> numbers = IntStream.rangeClosed(1, 20).boxed().toList();
    JobVertex vertex =
        vertex(
            1,
            2,
            source("numbers", TestSources.of(numbers)),
            op("times ten", OperatorKind.MAP, (MapFunction<Integer, Integer>) x -> x * 10),
            op("evens", OperatorKind.FILTER, (FilterFunction<Integer>) x -> x % 20 == 0),
            op(
                "plus minus",
                OperatorKind.FLAT_MAP,
                (FlatMapFunction<Integer, Integer>)
                    (x, out) -> {
                      out.collect(x);
                      out.collect(-x);
                    }),
            op("collect", OperatorKind.SINK, sink));
    TestDeployment deployment = new TestDeployment(graph(vertex));
    RecordingListener listener0 = new RecordingListener();
    RecordingListener listener1 = new RecordingListener();
    Task subtask0 = fixture.start(deployment.descriptor(1, 0), listener0);
    Task subtask1 = fixture.start(deployment.descriptor(1, 1), listener1);

    assertThat(subtask0.terminationFuture().get(10, TimeUnit.SECONDS))
        .isEqualTo(ExecutionState.FINISHED);
    assertThat(subtask1.terminationFuture().get(10, TimeUnit.SECONDS))
        .isEqualTo(ExecutionState.FINISHED);

    List<Integer> expected = new ArrayList<>();
    for (int n = 2; n <= 20; n += 2) {
      expected.add(n * 10);
      expected.add(-n * 10);
    }
    assertThat(Recorder.list(sink.records())).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(listener0.states()).containsExactly(ExecutionState.RUNNING, ExecutionState.FINISHED);
    assertThat(listener0.reports().get(0).threadName()).isEqualTo("numbers -> collect (1/2)#0");
    assertThat(listener1.reports().get(0).threadName()).isEqualTo("numbers -> collect (2/2)#0");
    List<Object> events = Recorder.list(sink.events());
    for (int subtask = 0; subtask < 2; subtask++) {
      assertThat(events)
          .containsSubsequence("open " + subtask, "finish " + subtask, "close " + subtask);
    }
    assertThat(subtask0.state()).isEqualTo(ExecutionState.FINISHED);
    assertThat(subtask0.metrics().recordsIn()).isEqualTo(10);
    // subtask 0 reads the odd numbers, which the filter drops; subtask 1 writes two per even one
    assertThat(subtask0.metrics().recordsOut()).isZero();
    assertThat(subtask1.metrics().recordsIn()).isEqualTo(10);
    assertThat(subtask1.metrics().recordsOut()).isEqualTo(20);
    assertThat(subtask0.metrics().executionId()).isEqualTo(subtask0.executionId());
  }

  @Test
  void wordCountAcrossAHashEdgeEndsWithOneTotalPerWord() throws Exception {
    CollectingSink sink = new CollectingSink(Recorder.newId());
    List<String> lines = List.of("a b c", "b c", "c", "d a", "a");
    JobVertex split =
        vertex(
            1,
            2,
            source("lines", TestSources.of(lines)),
            op(
                "split",
                OperatorKind.FLAT_MAP,
                (FlatMapFunction<String, String>)
                    (line, out) -> {
                      for (String word : line.split(" ")) {
                        out.collect(word);
                      }
                    }));
    JobVertex count =
        new JobVertex(
            2,
            "count -> sink",
            3,
            8,
            List.of(
                new OperatorSpec(
                    "count",
                    "count",
                    OperatorKind.KEYED_PROCESS,
                    new WordCount(),
                    (KeySelector<String, String>) w -> w),
                op("collect", OperatorKind.SINK, sink)));
    JobGraph graph =
        JobGraph.builder("word count")
            .addVertex(split)
            .addVertex(count)
            .connect(1, 2, Partitioning.HASH, (KeySelector<String, String>) w -> w)
            .build();
    TestDeployment deployment = new TestDeployment(graph);
    List<Task> all = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      all.add(fixture.start(deployment.descriptor(2, i), new RecordingListener()));
    }
    for (int i = 0; i < 2; i++) {
      all.add(fixture.start(deployment.descriptor(1, i), new RecordingListener()));
    }

    for (Task task : all) {
      assertThat(task.terminationFuture().get(10, TimeUnit.SECONDS))
          .isEqualTo(ExecutionState.FINISHED);
    }
    assertThat(Recorder.list(sink.records()))
        .containsExactlyInAnyOrder(
            Tuple2.of("a", 3L), Tuple2.of("b", 2L), Tuple2.of("c", 3L), Tuple2.of("d", 1L));
    long recordsIntoCounters =
        all.subList(0, 3).stream().mapToLong(t -> t.metrics().recordsIn()).sum();
    assertThat(recordsIntoCounters).isEqualTo(9);
    assertThat(all.get(0).metrics().bytesIn() + all.get(1).metrics().bytesIn()).isPositive();
  }

  @Test
  void aTaskWithTwoInputsReadsBothToTheirEnd() throws Exception {
    CollectingSink sink = new CollectingSink(Recorder.newId());
    List<String> letters = List.of("a", "b", "c", "d", "e");
    List<Integer> numbers = IntStream.range(0, 200).boxed().toList();
    JobVertex lettersVertex = vertex(1, 2, source("letters", TestSources.of(letters)));
    JobVertex numbersVertex = vertex(2, 1, source("numbers", TestSources.of(numbers)));
    JobVertex union =
        vertex(
            3,
            2,
            op("describe", OperatorKind.MAP, (MapFunction<Object, String>) x -> "<" + x + ">"),
            op("collect", OperatorKind.SINK, sink));
    JobGraph graph =
        JobGraph.builder("union")
            .addVertex(lettersVertex)
            .addVertex(numbersVertex)
            .addVertex(union)
            .connect(1, 3, Partitioning.REBALANCE, null)
            .connect(2, 3, Partitioning.BROADCAST, null)
            .build();
    TestDeployment deployment = new TestDeployment(graph);
    List<Task> all =
        List.of(
            fixture.start(deployment.descriptor(3, 0), new RecordingListener()),
            fixture.start(deployment.descriptor(3, 1), new RecordingListener()),
            fixture.start(deployment.descriptor(1, 0), new RecordingListener()),
            fixture.start(deployment.descriptor(1, 1), new RecordingListener()),
            fixture.start(deployment.descriptor(2, 0), new RecordingListener()));

    for (Task task : all) {
      assertThat(task.terminationFuture().get(10, TimeUnit.SECONDS))
          .isEqualTo(ExecutionState.FINISHED);
    }
    List<String> expected = new ArrayList<>();
    letters.forEach(l -> expected.add("<" + l + ">"));
    // broadcast: both union subtasks see every number
    for (int copy = 0; copy < 2; copy++) {
      numbers.forEach(n -> expected.add("<" + n + ">"));
    }
    assertThat(Recorder.list(sink.records())).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(all.get(0).metrics().recordsIn() + all.get(1).metrics().recordsIn())
        .isEqualTo(expected.size());
  }

  @Test
  void keyedTaskFedThroughItsGateEmitsRunningSumsAndTotalsAtEndOfInput() throws Exception {
    JobVertex upstream = vertex(1, 1, source("upstream", TestSources.of(List.of())));
    JobVertex sums =
        new JobVertex(
            2,
            "sums",
            1,
            16,
            List.of(
                new OperatorSpec(
                    "sums",
                    "sums",
                    OperatorKind.KEYED_PROCESS,
                    new RunningSum(),
                    (KeySelector<Tuple2<String, Integer>, String>) Tuple2::f0)));
    JobVertex downstream =
        vertex(3, 1, op("print", OperatorKind.SINK, new CollectingSink(Recorder.newId())));
    JobGraph graph =
        JobGraph.builder("sums")
            .addVertex(upstream)
            .addVertex(sums)
            .addVertex(downstream)
            .connect(1, 2, Partitioning.FORWARD, null)
            .connect(2, 3, Partitioning.FORWARD, null)
            .build();
    TestDeployment deployment = new TestDeployment(graph);
    JobEdge in = graph.edges().get(0);
    JobEdge out = graph.edges().get(1);
    InMemoryResultPartition feed =
        fixture
            .network()
            .createResultPartition(
                new ResultPartitionDeployment(
                    deployment.partitionId(in, 0), 0, 0, "FORWARD", 1, 0));
    Task task = fixture.start(deployment.descriptor(2, 0), new RecordingListener());

    TestRecordSerializer outputReader = new TestRecordSerializer();
    String outputId = deployment.partitionId(out, 0);
    emit(feed, Tuple2.of("a", 1));
    emit(feed, Tuple2.of("b", 2));
    feed.flushAll();
    // the task flushes its output before it waits for more input, so nothing lingers
    assertThat(fixture.network().read(outputId, 0, outputReader, 2, DEADLINE))
        .containsExactly(Tuple2.of("a", 1), Tuple2.of("b", 2));
    feed.broadcastBarrier(1, 1000);
    emit(feed, Tuple2.of("a", 3));
    emit(feed, Tuple2.of("b", 4));
    emit(feed, Tuple2.of("a", 5));
    feed.finish();

    List<Object> output = fixture.network().readToEnd(outputId, 0, outputReader, DEADLINE);
    assertThat(task.terminationFuture().get(10, TimeUnit.SECONDS))
        .isEqualTo(ExecutionState.FINISHED);
    assertThat(output.subList(0, 3))
        .containsExactly(Tuple2.of("a", 4), Tuple2.of("b", 6), Tuple2.of("a", 9));
    assertThat(output.subList(3, output.size()))
        .containsExactlyInAnyOrder(Tuple2.of("total a", 9), Tuple2.of("total b", 6));
    assertThat(fixture.network().gates()).allMatch(InMemoryNetwork.InMemoryInputGate::isRequested);
    assertThat(task.metrics().recordsIn()).isEqualTo(5);
    assertThat(task.metrics().recordsOut()).isEqualTo(7);
    assertThat(task.metrics().bytesOut()).isPositive();
  }

  @Test
  void userCodeRunsInTheTaskThreadWithTheJobsClassLoader() throws Exception {
    String seen = Recorder.newId();
    JobVertex vertex =
        vertex(
            1,
            1,
            source("numbers", TestSources.of(List.of(1))),
            op(
                "look around",
                OperatorKind.MAP,
                (MapFunction<Integer, Integer>)
                    x -> {
                      Recorder.add(seen, Thread.currentThread().getName());
                      Recorder.add(seen, Thread.currentThread().getContextClassLoader());
                      return x;
                    }));
    TaskDeployment descriptor =
        TestDeployment.withAttempt(new TestDeployment(graph(vertex)).descriptor(1, 0), 3);
    try (URLClassLoader jobClassLoader =
        new URLClassLoader(new URL[0], getClass().getClassLoader())) {
      Task task =
          fixture.track(
              new Task(
                  new TaskEnvironment(
                      descriptor,
                      jobClassLoader,
                      fixture.network(),
                      new RecordingListener(),
                      new Configuration(),
                      TestRecordSerializer.factory())));
      task.start();

      assertThat(task.terminationFuture().get(10, TimeUnit.SECONDS))
          .isEqualTo(ExecutionState.FINISHED);
      assertThat(Recorder.list(seen))
          .containsExactly("numbers -> look around (1/1)#3", jobClassLoader);
    }
  }

  /** Counts words; emits (word, count) per word once the input has ended. */
  static final class WordCount extends KeyedProcessFunction<String, String, Tuple2<String, Long>> {
    private transient ValueState<Long> count;

    @Override
    public void open(RuntimeContext context) {
      count = context.getState(new ValueStateDescriptor<>("count", Long.class));
    }

    @Override
    public void processElement(
        String word, Context<String> context, Collector<Tuple2<String, Long>> out) {
      Long current = count.value();
      count.update(current == null ? 1L : current + 1);
    }

    @Override
    public void endOfInput(EndOfInputContext<String> context, Collector<Tuple2<String, Long>> out)
        throws Exception {
      context.forEachKey(word -> out.collect(Tuple2.of(word, count.value())));
    }
  }
}
