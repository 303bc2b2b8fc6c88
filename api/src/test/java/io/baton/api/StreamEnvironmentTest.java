package io.baton.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.baton.api.TestSources.Discard;
import io.baton.api.TestSources.Words;
import io.baton.api.functions.Collector;
import io.baton.api.functions.KeySelector;
import io.baton.api.functions.KeyedProcessFunction;
import io.baton.api.functions.MapFunction;
import io.baton.api.graph.JobEdge;
import io.baton.api.graph.JobGraph;
import io.baton.api.graph.JobVertex;
import io.baton.api.graph.OperatorKind;
import io.baton.api.graph.OperatorSpec;
import io.baton.api.graph.Partitioning;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class StreamEnvironmentTest {
  private final List<JobGraph> executed = new ArrayList<>();
  private final StreamEnvironment env = StreamEnvironment.withExecutor(executor(4));

  private JobExecutor executor(int defaultParallelism) {
    return new JobExecutor() {
      @Override
      public int defaultParallelism() {
        return defaultParallelism;
      }

      @Override
      public void execute(JobGraph graph) {
        executed.add(graph);
      }
    };
  }

  /** Counts records per key; the builder only carries it. */
  static final class CountPerKey extends KeyedProcessFunction<String, String, Long> {
    @Override
    public void processElement(String value, Context<String> context, Collector<Long> out) {
      out.collect(1L);
    }
  }

  private static List<String> vertexNames(JobGraph graph) {
    return graph.vertices().stream().map(JobVertex::name).toList();
  }

  private static List<OperatorKind> kinds(JobVertex vertex) {
    return vertex.chain().stream().map(OperatorSpec::kind).toList();
  }

  @Test
  void forwardOperatorsOfEqualParallelismChainIntoOneVertex() {
    env.fromSource(new Words(), "words")
        .map(s -> s.length())
        .filter(n -> n > 2)
        .sinkTo(new Discard<>())
        .name("out");

    JobGraph graph = env.buildJobGraph("job");

    assertThat(graph.vertices()).hasSize(1);
    JobVertex vertex = graph.vertices().get(0);
    assertThat(vertex.id()).isEqualTo(1);
    assertThat(vertex.name()).isEqualTo("words -> Map -> Filter -> out");
    assertThat(kinds(vertex))
        .containsExactly(
            OperatorKind.SOURCE, OperatorKind.MAP, OperatorKind.FILTER, OperatorKind.SINK);
    assertThat(vertex.parallelism()).isEqualTo(4);
    assertThat(vertex.maxParallelism()).isEqualTo(128);
    assertThat(graph.edges()).isEmpty();
  }

  @Test
  void keyByStartsAVertexHeadedByTheKeyedOperatorBehindAHashEdge() {
    KeySelector<String, String> byWord = word -> word;
    env.fromSource(new Words(), "words")
        .flatMap((String line, Collector<String> out) -> out.collect(line))
        .keyBy(byWord)
        .process(new CountPerKey())
        .name("count")
        .sinkTo(new Discard<>());

    JobGraph graph = env.buildJobGraph("wordcount");

    assertThat(vertexNames(graph)).containsExactly("words -> Flat Map", "count -> Sink");
    JobVertex keyed = graph.vertices().get(1);
    assertThat(keyed.head().kind()).isEqualTo(OperatorKind.KEYED_PROCESS);
    assertThat(keyed.head().keySelector()).isSameAs(byWord);
    assertThat(graph.edges()).containsExactly(new JobEdge(0, 1, 2, Partitioning.HASH, byWord));
  }

  @Test
  void rebalanceAndBroadcastSplitChainsWithTheirPartitioning() {
    var words = env.fromSource(new Words(), "words");
    words.rebalance().map(String::trim).name("trim").sinkTo(new Discard<>());
    words.broadcast().sinkTo(new Discard<>()).name("everywhere");
    words.print();

    JobGraph graph = env.buildJobGraph("job");

    assertThat(vertexNames(graph)).containsExactly("words", "trim -> Sink", "everywhere", "Print");
    assertThat(graph.edges())
        .extracting(JobEdge::sourceVertexId, JobEdge::targetVertexId, JobEdge::partitioning)
        .containsExactly(
            tuple(1, 2, Partitioning.REBALANCE),
            tuple(1, 3, Partitioning.BROADCAST),
            tuple(1, 4, Partitioning.FORWARD));
  }

  @Test
  void aForwardConnectionBetweenDifferentParallelismsBecomesARebalance() {
    env.fromSource(new Words(), "words")
        .setParallelism(1)
        .map(String::length)
        .sinkTo(new Discard<>())
        .setParallelism(2);

    JobGraph graph = env.buildJobGraph("job");

    assertThat(vertexNames(graph)).containsExactly("words", "Map", "Sink");
    assertThat(graph.vertices()).extracting(JobVertex::parallelism).containsExactly(1, 4, 2);
    assertThat(graph.edges())
        .extracting(JobEdge::partitioning)
        .containsExactly(Partitioning.REBALANCE, Partitioning.REBALANCE);
  }

  @Test
  void disableChainingPutsAnOperatorInAVertexOfItsOwn() {
    env.fromSource(new Words(), "words")
        .map(String::trim)
        .name("trim")
        .map(String::length)
        .name("length")
        .disableChaining()
        .filter(n -> n > 0)
        .sinkTo(new Discard<>());

    JobGraph graph = env.buildJobGraph("job");

    assertThat(vertexNames(graph)).containsExactly("words -> trim", "length", "Filter -> Sink");
    assertThat(graph.edges())
        .extracting(JobEdge::partitioning)
        .containsExactly(Partitioning.FORWARD, Partitioning.FORWARD);
  }

  @Test
  void aSinkWithChainingDisabledRunsAlone() {
    env.fromSource(new Words(), "words")
        .map(String::length)
        .sinkTo(new Discard<>())
        .name("out")
        .disableChaining();

    JobGraph graph = env.buildJobGraph("job");

    assertThat(vertexNames(graph)).containsExactly("words -> Map", "out");
    assertThat(graph.edges())
        .extracting(JobEdge::partitioning)
        .containsExactly(Partitioning.FORWARD);
  }

  @Test
  void aStreamConsumedTwiceFeedsTwoVerticesAndBothSinks() {
    var lengths = env.fromSource(new Words(), "words").map(String::length).name("length");
    lengths.filter(n -> n % 2 == 0).name("even").sinkTo(new Discard<>()).name("evens");
    lengths.filter(n -> n % 2 == 1).name("odd").sinkTo(new Discard<>()).name("odds");

    JobGraph graph = env.buildJobGraph("job");

    assertThat(vertexNames(graph))
        .containsExactly("words -> length", "even -> evens", "odd -> odds");
    assertThat(graph.vertices()).extracting(JobVertex::id).containsExactly(1, 2, 3);
    assertThat(graph.edges())
        .extracting(JobEdge::index, JobEdge::sourceVertexId, JobEdge::targetVertexId)
        .containsExactly(tuple(0, 1, 2), tuple(1, 1, 3));
  }

  @Test
  void twoSourcesMakeTwoIndependentChains() {
    env.fromSource(new Words(), "a").sinkTo(new Discard<>()).name("a-out");
    env.fromSource(new Words(), "b").sinkTo(new Discard<>()).name("b-out");

    JobGraph graph = env.buildJobGraph("job");

    assertThat(vertexNames(graph)).containsExactly("a -> a-out", "b -> b-out");
  }

  @Test
  void lambdasTravelInsideTheJavaSerializedGraph() throws Exception {
    env.fromSource(new Words(), "words").map(s -> s.length() * 10).sinkTo(new Discard<>());
    JobGraph graph = env.buildJobGraph("job");

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(graph);
    }
    JobGraph copy;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (JobGraph) in.readObject();
    }

    @SuppressWarnings("unchecked")
    MapFunction<String, Integer> map =
        (MapFunction<String, Integer>) copy.vertices().get(0).chain().get(1).function();
    assertThat(map.map("four")).isEqualTo(40);
  }

  private List<String> uidsOf(Consumer<StreamEnvironment> job) {
    StreamEnvironment environment = StreamEnvironment.withExecutor(executor(2));
    job.accept(environment);
    return environment.buildJobGraph("job").vertices().stream()
        .flatMap(v -> v.chain().stream())
        .map(OperatorSpec::uid)
        .toList();
  }

  private static void wordCount(StreamEnvironment environment) {
    environment
        .fromSource(new Words(), "words")
        .keyBy(w -> w)
        .process(new CountPerKey())
        .sinkTo(new Discard<>());
  }

  @Test
  void generatedUidsAreDeterministicUniqueAndSurviveUnrelatedAdditions() {
    List<String> first = uidsOf(StreamEnvironmentTest::wordCount);
    List<String> second = uidsOf(StreamEnvironmentTest::wordCount);
    List<String> withAnotherBranch =
        uidsOf(
            environment -> {
              wordCount(environment);
              environment.fromSource(new Words(), "other").sinkTo(new Discard<>());
            });

    assertThat(first).hasSize(3).doesNotHaveDuplicates().isEqualTo(second);
    assertThat(withAnotherBranch).hasSize(5).doesNotHaveDuplicates().startsWith(first.get(0));
    assertThat(withAnotherBranch).containsAll(first);
  }

  @Test
  void userUidsAreKeptAndMustBeUnique() {
    env.fromSource(new Words(), "words").uid("source").map(String::length).uid("lengths");
    assertThat(env.buildJobGraph("job").vertices().get(0).chain())
        .extracting(OperatorSpec::uid)
        .containsExactly("source", "lengths");

    env.fromSource(new Words(), "more").uid("source");
    assertThatThrownBy(() -> env.buildJobGraph("job"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("uid 'source' is used by both 'words' (SOURCE) and 'more' (SOURCE)");
  }

  @Test
  void misuseFailsWithOneLineThatSaysWhat() {
    assertThatThrownBy(() -> env.buildJobGraph("empty"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("job 'empty' has no operators: start with env.fromSource(...)");
    assertThatThrownBy(() -> env.setParallelism(0))
        .hasMessage("parallelism must be at least 1, not 0");
    assertThatThrownBy(() -> env.setMaxParallelism(40_000))
        .hasMessage("max parallelism must be between 1 and 32768, not 40000");
    assertThatThrownBy(() -> env.fromSource(new Words(), " "))
        .hasMessage("an operator name must not be blank");
    var words = env.fromSource(new Words(), "words");
    assertThatThrownBy(() -> words.setParallelism(-1))
        .hasMessage("parallelism of 'words' (SOURCE) must be at least 1, not -1");
    assertThatThrownBy(() -> words.map(null)).hasMessage("Map needs a function");
    assertThatThrownBy(() -> words.uid("")).hasMessage("an operator uid must not be blank");
    assertThatThrownBy(() -> env.enableCheckpointing(Duration.ZERO))
        .hasMessage("checkpoint interval must be positive, not PT0S");
    assertThatThrownBy(() -> env.buildJobGraph("")).hasMessage("a job name must not be blank");

    env.setMaxParallelism(8);
    words.setParallelism(16);
    assertThatThrownBy(() -> env.buildJobGraph("job"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("operator 'words' has parallelism 16 above its max parallelism 8");
  }

  @Test
  void parallelismConfigAndCheckpointingReachTheGraph() throws Exception {
    env.setParallelism(3)
        .setMaxParallelism(64)
        .enableCheckpointing(Duration.ofMillis(500))
        .setConfig("restart-strategy.type", "none");
    env.fromSource(new Words(), "words").sinkTo(new Discard<>());

    env.execute("configured");

    assertThat(executed).hasSize(1);
    JobGraph graph = executed.get(0);
    assertThat(graph.name()).isEqualTo("configured");
    assertThat(graph.vertices().get(0).parallelism()).isEqualTo(3);
    assertThat(graph.vertices().get(0).maxParallelism()).isEqualTo(64);
    assertThat(graph.config())
        .containsEntry("execution.checkpointing.interval", "500 ms")
        .containsEntry("restart-strategy.type", "none");
  }

  @Test
  void theEnvironmentOfASubmissionIsOnlyThereWhileItsMainRuns() throws Exception {
    assertThatThrownBy(StreamEnvironment::getEnvironment)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("bin/baton run");

    int parallelism =
        StreamEnvironment.runWithExecutor(
            executor(7), () -> StreamEnvironment.getEnvironment().getParallelism());

    assertThat(parallelism).isEqualTo(7);
    assertThatThrownBy(StreamEnvironment::getEnvironment).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void maxParallelismLeavesRoomToScaleUpUnlessSetExplicitly() {
    StreamEnvironment small = StreamEnvironment.withExecutor(executor(4));
    wordCount(small);
    assertThat(small.buildJobGraph("small").vertices())
        .extracting(JobVertex::maxParallelism)
        .containsOnly(128);

    StreamEnvironment large = StreamEnvironment.withExecutor(executor(200));
    wordCount(large);
    assertThat(large.buildJobGraph("large").vertices())
        .extracting(JobVertex::maxParallelism)
        .as("1.5 x 200 rounded up to a power of two")
        .containsOnly(512);

    StreamEnvironment pinned = StreamEnvironment.withExecutor(executor(200));
    pinned.setMaxParallelism(1000);
    wordCount(pinned);
    assertThat(pinned.buildJobGraph("pinned").vertices())
        .extracting(JobVertex::maxParallelism)
        .containsOnly(1000);
  }
}
