package io.baton.coordinator.program;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.api.graph.JobGraph;
import io.baton.api.graph.JobVertex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobGraphExtractorTest {
  @TempDir Path dir;

  private final AtomicReference<Thread> mainThread = new AtomicReference<>();
  private final JobGraphExtractor extractor =
      new JobGraphExtractor(
          getClass().getClassLoader(),
          1,
          1024,
          Duration.ofSeconds(10),
          body -> {
            Thread t = new Thread(body, "test-main");
            t.setDaemon(true);
            mainThread.set(t);
            return t;
          });

  @Test
  void runsTheManifestsMainClassAndReturnsTheValidatedGraph() throws Exception {
    Path jar = TestJars.jobJar(dir.resolve("job.jar"), TestJobs.Good.class);

    try (ExtractedProgram program = extractor.extract(ProgramRequest.of(jar))) {
      JobGraph graph = program.graph();
      assertThat(graph.name()).isEqualTo("good job");
      assertThat(graph.vertices())
          .extracting(JobVertex::name)
          .containsExactly("good job source", "good job sink");
      assertThat(graph.vertices()).extracting(JobVertex::parallelism).containsExactly(2, 2);
      // the user's objects come from the jar, through the program's own class loader
      Object function = graph.vertices().get(0).head().function();
      assertThat(function.getClass().getName()).isEqualTo(TestJobs.Noop.class.getName());
      assertThat(function.getClass().getClassLoader()).isSameAs(program.classLoader());
      assertThat(function.getClass()).isNotSameAs(TestJobs.Noop.class);
    }
  }

  @Test
  void passesArgumentsAndPrefersTheGivenEntryClassToTheManifest() throws Exception {
    Path jar = TestJars.jobJar(dir.resolve("job.jar"), TestJobs.Idle.class);
    ProgramRequest request =
        new ProgramRequest(
            jar,
            "job.jar",
            Optional.of(TestJobs.Good.class.getName()),
            List.of("word", "count"),
            OptionalInt.of(3));

    try (ExtractedProgram program = extractor.extract(request)) {
      assertThat(program.graph().name()).isEqualTo("word count");
    }
  }

  @Test
  void rejectsAFileThatIsNotAJar() throws Exception {
    Path notes = Files.writeString(dir.resolve("notes.txt"), "not a zip");

    assertThatThrownBy(() -> extractor.extract(ProgramRequest.of(notes)))
        .isInstanceOf(ProgramInvocationException.class)
        .hasMessage("not a jar file: notes.txt");
  }

  @Test
  void rejectsAJarWithoutMainClass() {
    Path jar = TestJars.jobJar(dir.resolve("lib.jar"), null);

    assertThatThrownBy(() -> extractor.extract(ProgramRequest.of(jar)))
        .hasMessage(
            "no main class: lib.jar has no Main-Class in its manifest and none was given with"
                + " -c/entryClass");
  }

  @Test
  void rejectsAMainClassThatIsNotInTheJar() {
    Path jar = TestJars.jobJar(dir.resolve("job.jar"), null);
    ProgramRequest request = withEntryClass(jar, "com.example.Missing");

    assertThatThrownBy(() -> extractor.extract(request))
        .hasMessage("main class com.example.Missing not found in job.jar");
  }

  @Test
  void rejectsAMainClassWithoutMainMethod() {
    Path jar = TestJars.jobJar(dir.resolve("job.jar"), TestJobs.NoMain.class);

    assertThatThrownBy(() -> extractor.extract(ProgramRequest.of(jar)))
        .hasMessage(
            "main class "
                + TestJobs.NoMain.class.getName()
                + " has no public static void main(String[])");
  }

  @Test
  void reportsTheRootCauseWhenMainThrows() {
    Path jar = TestJars.jobJar(dir.resolve("job.jar"), TestJobs.Failing.class);

    assertThatThrownBy(() -> extractor.extract(ProgramRequest.of(jar)))
        .hasMessage(
            "main() of "
                + TestJobs.Failing.class.getName()
                + " failed: java.io.FileNotFoundException: /data/input.csv (No such file)");
  }

  @Test
  void rejectsAMainThatDoesNotCallExecute() {
    Path jar = TestJars.jobJar(dir.resolve("job.jar"), TestJobs.Idle.class);

    assertThatThrownBy(() -> extractor.extract(ProgramRequest.of(jar)))
        .hasMessage("main() of " + TestJobs.Idle.class.getName() + " did not call execute()");
  }

  @Test
  void rejectsAMainThatSubmitsTwoJobs() {
    Path jar = TestJars.jobJar(dir.resolve("job.jar"), TestJobs.Twice.class);

    assertThatThrownBy(() -> extractor.extract(ProgramRequest.of(jar)))
        .hasMessage("main() of " + TestJobs.Twice.class.getName() + " submitted more than one job");
  }

  @Test
  void rejectsACyclicGraph() {
    Path jar = TestJars.jobJar(dir.resolve("job.jar"), TestJobs.Cyclic.class);

    assertThatThrownBy(() -> extractor.extract(ProgramRequest.of(jar)))
        .hasMessageMatching("job 'cyclic' has a cycle through '[ab]'");
  }

  @Test
  void rejectsParallelismAboveTheMaximum() {
    Path jar = TestJars.jobJar(dir.resolve("job.jar"), TestJobs.Wide.class);

    assertThatThrownBy(() -> extractor.extract(ProgramRequest.of(jar)))
        .hasMessage(
            "operator 'wide source' asks for parallelism 2000, more than parallelism.max (1024)");
  }

  @Test
  void rejectsParallelismBelowOne() {
    Path jar = TestJars.jobJar(dir.resolve("job.jar"), TestJobs.Good.class);
    ProgramRequest request =
        new ProgramRequest(jar, "job.jar", Optional.empty(), List.of(), OptionalInt.of(0));

    assertThatThrownBy(() -> extractor.extract(request))
        .hasMessage("parallelism must be at least 1, got 0 (-p/parallelism)");
  }

  @Test
  void interruptsAMainThatTakesTooLong() {
    JobGraphExtractor impatient =
        new JobGraphExtractor(
            getClass().getClassLoader(),
            1,
            1024,
            Duration.ofMillis(300),
            body -> {
              Thread t = new Thread(body, "test-main");
              t.setDaemon(true);
              mainThread.set(t);
              return t;
            });
    Path jar = TestJars.jobJar(dir.resolve("job.jar"), TestJobs.Blocking.class);

    assertThatThrownBy(() -> impatient.extract(ProgramRequest.of(jar)))
        .hasMessage(
            "main() of "
                + TestJobs.Blocking.class.getName()
                + " did not build a job within 300 ms (jobmanager.program.timeout)");
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> !mainThread.get().isAlive());
  }

  private static ProgramRequest withEntryClass(Path jar, String entryClass) {
    return new ProgramRequest(
        jar, jar.getFileName().toString(), Optional.of(entryClass), List.of(), OptionalInt.empty());
  }
}
