package io.baton.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.baton.api.StreamEnvironment;
import io.baton.api.graph.JobEdge;
import io.baton.api.graph.JobGraph;
import io.baton.api.graph.JobVertex;
import io.baton.api.graph.OperatorKind;
import io.baton.api.graph.OperatorSpec;
import io.baton.api.graph.Partitioning;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExamplesTest {
  @TempDir Path dir;

  private final CapturingExecutor executor = new CapturingExecutor(3);
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final Examples examples =
      new Examples(
          () -> StreamEnvironment.withExecutor(executor),
          new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8));

  private List<String> stdout() {
    return out.toString(StandardCharsets.UTF_8).lines().toList();
  }

  private List<String> stderr() {
    return err.toString(StandardCharsets.UTF_8).lines().toList();
  }

  private static List<OperatorKind> kinds(JobVertex vertex) {
    return vertex.chain().stream().map(OperatorSpec::kind).toList();
  }

  private List<String> outputLines(Path directory) throws Exception {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.toList()) {
        if (!file.getFileName().toString().startsWith(".")) {
          lines.addAll(Files.readAllLines(file));
        }
      }
    }
    return lines;
  }

  @Test
  void wordcountReadsTokenizesThenCountsPerWordBehindAHashEdge() throws Exception {
    int code = examples.run(new String[] {"wordcount", "--input", "in.txt", "--output", "out"});

    assertThat(code).isZero();
    JobGraph graph = executor.graphs.get(0);
    assertThat(graph.name()).isEqualTo("wordcount");
    assertThat(graph.vertices())
        .extracting(JobVertex::id, JobVertex::name, JobVertex::parallelism)
        .containsExactly(tuple(1, "lines -> tokenize", 3), tuple(2, "count -> counts", 3));
    assertThat(kinds(graph.vertices().get(0)))
        .containsExactly(OperatorKind.SOURCE, OperatorKind.FLAT_MAP);
    assertThat(kinds(graph.vertices().get(1)))
        .containsExactly(OperatorKind.KEYED_PROCESS, OperatorKind.SINK);
    JobEdge edge = graph.edges().get(0);
    assertThat(edge)
        .extracting(JobEdge::sourceVertexId, JobEdge::targetVertexId, JobEdge::partitioning)
        .containsExactly(1, 2, Partitioning.HASH);
    assertThat(edge.keySelector()).isSameAs(graph.vertices().get(1).head().keySelector());
    assertThat(graph.vertices().get(1).chain())
        .extracting(OperatorSpec::uid)
        .containsExactly("count", "counts");
  }

  @Test
  void ledgerKeysItsEventsIntoTheRunningBalanceAndSetsTheCheckpointInterval() throws Exception {
    int code =
        examples.run(
            new String[] {
              "ledger",
              "--events",
              "100",
              "--keys",
              "10",
              "--rate",
              "0",
              "--output",
              "out",
              "--checkpoint-interval=250"
            });

    assertThat(code).isZero();
    JobGraph graph = executor.graphs.get(0);
    assertThat(graph.name()).isEqualTo("ledger");
    assertThat(graph.vertices())
        .extracting(JobVertex::name)
        .containsExactly("events", "running-balance -> ledger-files");
    assertThat(kinds(graph.vertices().get(1)))
        .containsExactly(OperatorKind.KEYED_PROCESS, OperatorKind.SINK);
    assertThat(graph.edges())
        .singleElement()
        .extracting(JobEdge::partitioning)
        .isEqualTo(Partitioning.HASH);
    assertThat(graph.config()).containsEntry("execution.checkpointing.interval", "250 ms");
    assertThat(graph.vertices().get(0).head().uid()).isEqualTo("events");
  }

  @Test
  void ledgerWithoutACheckpointIntervalLeavesTheClustersSetting() throws Exception {
    examples.run(
        new String[] {"ledger", "--events", "5", "--keys", "2", "--rate", "10", "--output", "o"});

    assertThat(executor.graphs.get(0).config()).isEmpty();
  }

  @Test
  void wordcountCountsTheWordsOfAFileEndToEnd() throws Exception {
    Path input = dir.resolve("input.txt");
    Files.writeString(
        input,
        "To be, or not to be: that is the question.\n"
            + "Über-über! 42 times\n"
            + "\n"
            + "to  TO\tbe\n");
    Path output = dir.resolve("counts");
    examples.run(
        new String[] {"wordcount", "--input", input.toString(), "--output", output.toString()});

    LocalJobRunner.run(executor.graphs.get(0));

    assertThat(outputLines(output))
        .containsExactlyInAnyOrder(
            "to\t4",
            "be\t3",
            "or\t1",
            "not\t1",
            "that\t1",
            "is\t1",
            "the\t1",
            "question\t1",
            "über\t2",
            "42\t1",
            "times\t1");
  }

  @Test
  void theLedgersOutputPassesItsVerifierEndToEnd() throws Exception {
    Path output = dir.resolve("ledger");
    examples.run(
        new String[] {
          "ledger", "--events", "5000", "--keys", "13", "--rate", "0", "--output", output.toString()
        });

    LocalJobRunner.run(executor.graphs.get(0));

    assertThat(outputLines(output)).hasSize(5000);
    int code =
        examples.run(
            new String[] {
              "ledger", "--verify", output.toString(), "--events", "5000", "--keys", "13"
            });
    assertThat(stdout()).containsExactly("lost=0 duplicated=0");
    assertThat(code).isZero();
  }

  @Test
  void theVerifierFailsOnOutputOfAnotherRun() throws Exception {
    Path output = dir.resolve("ledger");
    examples.run(
        new String[] {
          "ledger", "--events", "300", "--keys", "4", "--rate", "0", "--output", output.toString()
        });
    LocalJobRunner.run(executor.graphs.get(0));

    int code =
        examples.run(
            new String[] {
              "ledger", "--verify", output.toString(), "--events", "400", "--keys", "4"
            });

    assertThat(code).isEqualTo(1);
    assertThat(stdout()).containsExactly("lost=100 duplicated=0");
  }

  @Test
  void badArgumentsGiveOneLineAndTheUsage() throws Exception {
    assertThat(examples.run(new String[] {"pagerank"})).isEqualTo(1);
    assertThat(stderr()).containsExactly("unknown example 'pagerank'", Examples.USAGE);
    err.reset();

    assertThat(examples.run(new String[0])).isEqualTo(1);
    assertThat(stderr()).containsExactly("no example named", Examples.USAGE);
    err.reset();

    assertThat(examples.run(new String[] {"ledger", "--events", "10", "--rate", "0"})).isEqualTo(1);
    assertThat(stderr()).containsExactly("missing option '--keys'", Ledger.USAGE);
    err.reset();

    assertThat(examples.run(new String[] {"ledger", "--events", "ten"})).isEqualTo(1);
    assertThat(stderr())
        .containsExactly("option '--events' must be a whole number, not 'ten'", Ledger.USAGE);
    err.reset();

    assertThat(examples.run(new String[] {"wordcount", "--input", "x", "--outptu", "y"}))
        .isEqualTo(1);
    assertThat(stderr()).containsExactly("unknown option '--outptu'", WordCount.USAGE);
    err.reset();

    assertThat(examples.run(new String[] {"wordcount", "--input"})).isEqualTo(1);
    assertThat(stderr()).containsExactly("option '--input' needs a value", WordCount.USAGE);
    err.reset();

    assertThat(examples.run(new String[] {"wordcount", "--input", "a", "--input=b"})).isEqualTo(1);
    assertThat(stderr()).containsExactly("option '--input' is given twice", WordCount.USAGE);
    err.reset();

    Path missing = dir.resolve("missing");
    assertThat(
            examples.run(
                new String[] {
                  "ledger", "--verify", missing.toString(), "--events", "1", "--keys", "1"
                }))
        .isEqualTo(1);
    assertThat(stderr())
        .containsExactly("output directory '" + missing + "' does not exist", Ledger.USAGE);
    assertThat(executor.graphs).isEmpty();
  }

  @Test
  void aJobOutsideASubmissionSaysThatThereIsNoCluster() throws Exception {
    Examples outsideSubmission =
        new Examples(
            StreamEnvironment::getEnvironment,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    int code = outsideSubmission.run(new String[] {"wordcount", "--input", "a", "--output", "b"});

    assertThat(code).isEqualTo(1);
    assertThat(stderr())
        .containsExactly("no Baton cluster to run on: submit this job with 'bin/baton run <jar>'");
  }

  @Test
  void mainInsideASubmissionHandsTheGraphToTheSubmitter() throws Exception {
    StreamEnvironment.runWithExecutor(
        executor,
        () -> {
          Examples.main(new String[] {"wordcount", "--input", "a", "--output", "b"});
          return null;
        });

    assertThat(executor.graphs).singleElement().extracting(JobGraph::name).isEqualTo("wordcount");
  }

  @Test
  void mainInsideASubmissionThrowsInsteadOfExitingOnBadArguments() {
    assertThatThrownBy(
            () ->
                StreamEnvironment.runWithExecutor(
                    executor,
                    () -> {
                      Examples.main(new String[] {"wordcount", "--input", "a"});
                      return null;
                    }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("missing option '--output'");
  }

  private JobGraph ledgerGraph(Path output, String... extra) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "ledger",
                "--events",
                "3000",
                "--keys",
                "13",
                "--rate",
                "0",
                "--output",
                output.toString()));
    args.addAll(List.of(extra));
    assertThat(examples.run(args.toArray(String[]::new))).isZero();
    return executor.graphs.get(executor.graphs.size() - 1);
  }

  @Test
  void theLedgerFailsOnPurposeOnceInEachOfTheFirstAttemptsAtEventsItsSeedPicks() throws Exception {
    long[] positions = FailurePlan.of(3, 7, 3000, 13).positions();

    for (int attempt = 0; attempt < 3; attempt++) {
      // spread over the events: failure k in the k-th third
      assertThat(positions[attempt]).isBetween(attempt * 1000L, attempt * 1000L + 999);
      for (int run = 0; run < 2; run++) { // the same seed fails at the same event every time
        JobGraph graph =
            ledgerGraph(
                dir.resolve("attempt-" + attempt + "-" + run), "--failures", "3", "--seed", "7");
        int failing = attempt;
        assertThatThrownBy(() -> LocalJobRunner.run(graph, failing))
            .isInstanceOf(FailurePlan.DeliberateFailure.class)
            .hasMessage(
                "deliberate failure " + (attempt + 1) + " of 3 at event " + positions[attempt]);
      }
    }
    assertThat(FailurePlan.of(3, 8, 3000, 13).positions()).isNotEqualTo(positions);

    Path output = dir.resolve("attempt-3");
    LocalJobRunner.run(ledgerGraph(output, "--failures", "3", "--seed", "7"), 3);
    int code =
        examples.run(
            new String[] {
              "ledger", "--verify", output.toString(), "--events", "3000", "--keys", "13"
            });
    assertThat(stdout()).containsExactly("lost=0 duplicated=0");
    assertThat(code).isZero();
  }

  @Test
  void badFailureOptionsGiveOneLineAndTheUsage() throws Exception {
    String[][] cases = {
      {"--events", "-1", "--failures", "2"},
      {"--events", "10", "--failures", "11"},
      {"--events", "10", "--seed", "3"},
      {"--events", "5000", "--failures", "1001"},
      {"--events", "10", "--failures", "1", "--seed", "x"},
    };
    List<String> problems = new ArrayList<>();
    for (String[] options : cases) {
      List<String> args =
          new ArrayList<>(List.of("ledger", "--keys", "2", "--rate", "0", "--output", "o"));
      args.addAll(List.of(options));
      err.reset();
      assertThat(examples.run(args.toArray(String[]::new))).isEqualTo(1);
      assertThat(stderr()).hasSize(2).last().isEqualTo(Ledger.USAGE);
      problems.add(stderr().get(0));
    }

    assertThat(problems)
        .containsExactly(
            "option '--failures' needs a bounded number of '--events'",
            "option '--failures' must be at most the 10 events, not 11",
            "option '--seed' needs '--failures'",
            "option '--failures' must be between 0 and 1000, not 1001",
            "option '--seed' must be a whole number, not 'x'");
    assertThat(executor.graphs).isEmpty();
  }
}
