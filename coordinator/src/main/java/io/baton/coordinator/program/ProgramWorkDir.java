package io.baton.coordinator.program;

import io.baton.api.graph.JobGraph;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * The directory through which a {@link JobGraphBuilderMain} child JVM hands its result to the
 * JobManager: a marker that the child started, the job graph (Java-serialized, written as soon as
 * main() hands it over) and the outcome of main(). Each file appears whole or not at all (written
 * aside, then moved), so the JobManager never reads half a file from a child it killed.
 */
final class ProgramWorkDir {
  private static final String STARTED = "started";
  private static final String GRAPH = "graph.ser";
  private static final String OUTCOME = "outcome.txt";
  private static final String OUTPUT = "main.out";

  private final Path dir;

  ProgramWorkDir(Path dir) {
    this.dir = dir;
  }

  Path dir() {
    return dir;
  }

  /** Where the child's stdout and stderr go. */
  Path output() {
    return dir.resolve(OUTPUT);
  }

  void markStarted() throws IOException {
    write(STARTED, out -> {});
  }

  boolean started() {
    return Files.exists(dir.resolve(STARTED));
  }

  void writeGraph(JobGraph graph) throws IOException {
    write(
        GRAPH,
        out -> {
          try (ObjectOutputStream objects = new ObjectOutputStream(out)) {
            objects.writeObject(graph);
          }
        });
  }

  /** The serialized graph, if main() handed one over. */
  Optional<Path> graph() {
    Path graph = dir.resolve(GRAPH);
    return Files.exists(graph) ? Optional.of(graph) : Optional.empty();
  }

  void writeOutcome(Outcome outcome) throws IOException {
    String text = outcome.kind().name() + "\n" + outcome.message().replace('\n', ' ') + "\n";
    write(OUTCOME, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** How main() ended, if the child lived to say so. */
  Optional<Outcome> outcome() throws IOException {
    Path file = dir.resolve(OUTCOME);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    try {
      Outcome.Kind kind = Outcome.Kind.valueOf(lines.get(0));
      return Optional.of(new Outcome(kind, lines.size() > 1 ? lines.get(1) : ""));
    } catch (RuntimeException garbled) {
      throw new IOException("garbled outcome file " + file + ": " + lines, garbled);
    }
  }

  /** The last lines the child printed, for the log. */
  List<String> lastOutputLines(int count) {
    try {
      List<String> lines = Files.readAllLines(output(), StandardCharsets.ISO_8859_1);
      return lines.subList(Math.max(0, lines.size() - count), lines.size());
    } catch (IOException e) {
      return List.of();
    }
  }

  private void write(String name, Body body) throws IOException {
    Path aside = dir.resolve(name + ".tmp");
    try (OutputStream out = Files.newOutputStream(aside)) {
      body.writeTo(out);
    }
    Files.move(aside, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }

  private interface Body {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * How main() ended in the child.
   *
   * @param message for {@link Kind#FAILED}: the one line the submitter sees
   */
  record Outcome(Kind kind, String message) {
    enum Kind {
      /** main() returned after handing over one graph. */
      HANDED_OVER,
      /** main() failed, built no job or more than one: {@code message} says which. */
      FAILED,
      /** main() ran out of heap. */
      OUT_OF_MEMORY
    }

    static Outcome failed(String message) {
      return new Outcome(Kind.FAILED, message);
    }
  }
}
