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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobGraphExtractorTest {
  @TempDir Path dir;
  @TempDir Path scratch;

  private JobGraphExtractor extractor;
  private List<Path> workDirsBefore;

  @BeforeEach
  void setUp() throws java.io.IOException {
    extractor = extractor(Duration.ofSeconds(30), 256);
    workDirsBefore = workDirs();
  }

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
    JobGraphExtractor impatient = extractor(Duration.ofMillis(300), 256);
    Path jar = TestJars.jobJar(dir.resolve("job.jar"), TestJobs.Blocking.class);

    assertThatThrownBy(() -> impatient.extract(ProgramRequest.of(jar)))
        .hasMessage(
            "main() of "
                + TestJobs.Blocking.class.getName()
                + " did not build a job within 300 ms (jobmanager.program.timeout)");
    assertThat(childJvms()).isEmpty();
  }

  @Test
  void refusesAMainThatCallsSystemExitAndStaysUsable() throws Exception {
    Path exiting = TestJars.jobJar(dir.resolve("exiting.jar"), TestJobs.Exiting.class);

    // in the JobManager's JVM, System.exit(3) would have ended this test run here
    assertThatThrownBy(() -> extractor.extract(ProgramRequest.of(exiting)))
        .isInstanceOf(ProgramInvocationException.class)
        .hasMessage(
            "main() of "
                + TestJobs.Exiting.class.getName()
                + " called System.exit(3) before handing over a job graph");
    assertThat(childJvms()).isEmpty();
    assertThat(workDirs()).isSubsetOf(workDirsBefore);

    Path good = TestJars.jobJar(dir.resolve("good.jar"), TestJobs.Good.class);
    try (ExtractedProgram program = extractor.extract(ProgramRequest.of(good))) {
      assertThat(program.graph().name()).isEqualTo("good job");
    }
  }

  @Test
  void keepsTheJobOfAMainThatExitsAfterHandingItOver() throws Exception {
    Path jar = TestJars.jobJar(dir.resolve("job.jar"), TestJobs.ExitingAfterExecute.class);

    try (ExtractedProgram program = extractor.extract(ProgramRequest.of(jar))) {
      assertThat(program.graph().name()).isEqualTo("exits after execute");
    }
  }

  @Test
  void killsAMainThatSpinsPastTheTimeout() throws Exception {
    JobGraphExtractor impatient = extractor(Duration.ofSeconds(2), 256);
    Path spinning = TestJars.jobJar(dir.resolve("spinning.jar"), TestJobs.Spinning.class);

    assertThatThrownBy(() -> impatient.extract(ProgramRequest.of(spinning)))
        .hasMessage(
            "main() of "
                + TestJobs.Spinning.class.getName()
                + " did not build a job within 2 s (jobmanager.program.timeout)");
    assertThat(childJvms()).isEmpty();
    assertThat(threadsIn(TestJobs.Spinning.class)).isEmpty();
    assertThat(workDirs()).isSubsetOf(workDirsBefore);

    Path good = TestJars.jobJar(dir.resolve("good.jar"), TestJobs.Good.class);
    try (ExtractedProgram program = impatient.extract(ProgramRequest.of(good))) {
      assertThat(program.graph().name()).isEqualTo("good job");
    }
  }

  @Test
  void refusesAMainThatRunsOutOfItsHeap() throws Exception {
    JobGraphExtractor small = extractor(Duration.ofSeconds(30), 32);
    Path hungry = TestJars.jobJar(dir.resolve("hungry.jar"), TestJobs.Hungry.class);
    long heapBefore = Runtime.getRuntime().maxMemory();

    assertThatThrownBy(() -> small.extract(ProgramRequest.of(hungry)))
        .hasMessage(
            "main() of "
                + TestJobs.Hungry.class.getName()
                + " ran out of memory (jobmanager.program.heap.mb: 32 MiB)");
    assertThat(childJvms()).isEmpty();
    assertThat(Runtime.getRuntime().maxMemory()).isEqualTo(heapBefore);

    Path good = TestJars.jobJar(dir.resolve("good.jar"), TestJobs.Good.class);
    try (ExtractedProgram program = small.extract(ProgramRequest.of(good))) {
      assertThat(program.graph().name()).isEqualTo("good job");
    }
  }

  @Test
  void refusesAHeapBelowTheMinimum() {
    assertThatThrownBy(() -> extractor(Duration.ofSeconds(30), 8))
        .hasMessage(
            "invalid value '8' for configuration key 'jobmanager.program.heap.mb': expected at"
                + " least 16");
  }

  @Test
  void saysSoWhenTheJvmForMainCannotStart() {
    Path jar = TestJars.jobJar(dir.resolve("job.jar"), TestJobs.Good.class);
    JobGraphExtractor noJava =
        new JobGraphExtractor(
            getClass().getClassLoader(),
            1,
            1024,
            new ProgramJvm(dir.resolve("no-such-java"), "", scratch, 256, Duration.ofSeconds(30)));
    JobGraphExtractor noClasses =
        new JobGraphExtractor(
            getClass().getClassLoader(),
            1,
            1024,
            new ProgramJvm(
                Path.of(System.getProperty("java.home"), "bin", "java"),
                dir.resolve("no-classes").toString(),
                scratch,
                256,
                Duration.ofSeconds(30)));

    assertThatThrownBy(() -> noJava.extract(ProgramRequest.of(jar)))
        .hasMessageStartingWith(
            "cannot start a JVM to run main() of " + TestJobs.Good.class.getName() + ": ")
        .hasMessageContaining("no-such-java");
    assertThatThrownBy(() -> noClasses.extract(ProgramRequest.of(jar)))
        .hasMessageStartingWith(
            "the JVM to run main() of "
                + TestJobs.Good.class.getName()
                + " did not start (exit status 1): ")
        .hasMessageContaining(JobGraphBuilderMain.class.getName());
  }

  private JobGraphExtractor extractor(Duration timeout, int heapMb) {
    ProgramJvm jvm =
        new ProgramJvm(
            Path.of(System.getProperty("java.home"), "bin", "java"),
            System.getProperty("java.class.path"),
            scratch,
            heapMb,
            timeout);
    return new JobGraphExtractor(getClass().getClassLoader(), 1, 1024, jvm);
  }

  /** JVMs this test started to run main(), still alive. */
  private static List<ProcessHandle> childJvms() {
    return ProcessHandle.current()
        .descendants()
        .filter(ProcessHandle::isAlive)
        .filter(
            p -> p.info().commandLine().orElse("").contains(JobGraphBuilderMain.class.getName()))
        .toList();
  }

  /** Threads of this JVM that run code of {@code job}. */
  private static List<Thread> threadsIn(Class<?> job) {
    return Thread.getAllStackTraces().entrySet().stream()
        .filter(
            e ->
                java.util.Arrays.stream(e.getValue())
                    .anyMatch(frame -> frame.getClassName().equals(job.getName())))
        .map(java.util.Map.Entry::getKey)
        .toList();
  }

  /** Work directories of main() runs left behind. */
  private List<Path> workDirs() throws java.io.IOException {
    try (java.util.stream.Stream<Path> files = Files.list(scratch)) {
      return files.filter(p -> p.getFileName().toString().startsWith("baton-program-")).toList();
    }
  }

  private static ProgramRequest withEntryClass(Path jar, String entryClass) {
    return new ProgramRequest(
        jar, jar.getFileName().toString(), Optional.of(entryClass), List.of(), OptionalInt.empty());
  }
}
