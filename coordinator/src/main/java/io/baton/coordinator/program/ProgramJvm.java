package io.baton.coordinator.program;

import io.baton.api.graph.JobGraph;
import io.baton.common.config.Configuration;
import io.baton.common.config.ErrorLines;
import io.baton.common.config.IllegalConfigurationException;
import io.baton.common.config.JobManagerOptions;
import io.baton.common.config.TmpDirs;
import io.baton.common.files.DirectoryTree;
import io.baton.coordinator.program.ProgramWorkDir.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a job's main() in a short-lived child JVM ({@link JobGraphBuilderMain}) with its own heap,
 * so that System.exit, an endless loop or an OutOfMemoryError in main() ends that JVM, never the
 * JobManager. The child is always gone when {@link #buildGraph} returns (killed when it overstays
 * jobmanager.program.timeout), and its work directory deleted.
 */
public final class ProgramJvm {
  private static final Logger LOG = LoggerFactory.getLogger(ProgramJvm.class);

  /** The smallest heap a JVM that loads Baton's api and a job can start with. */
  static final int MIN_HEAP_MB = 16;

  private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);
  private static final int OUTPUT_LINES_LOGGED = 20;

  private final Path java;
  private final String classPath;
  private final Path scratchDir;
  private final int heapMb;
  private final Duration timeout;

  /**
   * @param java the java executable the child runs on
   * @param classPath the child's class path: Baton's api and this class
   * @param scratchDir where each child gets a work directory (the first of io.tmp.dirs)
   * @param heapMb the child's maximum heap (jobmanager.program.heap.mb)
   * @param timeout how long main() may take, JVM start included (jobmanager.program.timeout)
   */
  public ProgramJvm(Path java, String classPath, Path scratchDir, int heapMb, Duration timeout) {
    if (heapMb < MIN_HEAP_MB) {
      throw new IllegalConfigurationException(
          "invalid value '"
              + heapMb
              + "' for configuration key '"
              + JobManagerOptions.PROGRAM_HEAP_MB.key()
              + "': expected at least "
              + MIN_HEAP_MB);
    }
    this.java = java;
    this.classPath = classPath;
    this.scratchDir = scratchDir;
    this.heapMb = heapMb;
    this.timeout = timeout;
  }

  /**
   * The JobManager's own java and class path, io.tmp.dirs, jobmanager.program.heap.mb and .timeout.
   */
  public static ProgramJvm fromConfiguration(Configuration configuration) {
    return new ProgramJvm(
        Path.of(System.getProperty("java.home"), "bin", "java"),
        System.getProperty("java.class.path"),
        TmpDirs.first(configuration),
        configuration.get(JobManagerOptions.PROGRAM_HEAP_MB),
        configuration.get(JobManagerOptions.PROGRAM_TIMEOUT));
  }

  /**
   * Runs {@code mainClassName}'s main() from {@code jar} in a child JVM and reads back the graph it
   * built with {@code reader}. The graph is not validated yet.
   *
   * @throws ProgramInvocationException with one line when main() built no graph
   */
  JobGraph buildGraph(
      Path jar, String mainClassName, int parallelism, List<String> args, JobGraphReader reader)
      throws ProgramInvocationException {
    ProgramWorkDir work = new ProgramWorkDir(createWorkDir(mainClassName));
    Process process = null;
    long started = System.nanoTime();
    try {
      process = start(work, jar, mainClassName, parallelism, args);
      boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!exited) {
        kill(process, mainClassName);
      }
      JobGraph graph = interpret(work, process, exited, mainClassName, reader);
      LOG.info(
          "main() of {} handed over job '{}' in {} ms (child JVM {})",
          mainClassName,
          graph.name(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
          process.pid());
      return graph;
    } catch (ProgramInvocationException e) {
      List<String> output = work.lastOutputLines(OUTPUT_LINES_LOGGED);
      if (!output.isEmpty()) {
        LOG.info(
            "main() of {} built no job ({}); the child JVM's last output:\n  {}",
            mainClassName,
            e.getMessage(),
            String.join("\n  ", output));
      }
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProgramInvocationException(
          "interrupted while main() of " + mainClassName + " ran", e);
    } finally {
      if (process != null && process.isAlive()) {
        kill(process, mainClassName);
      }
      deleteRecursively(work.dir());
    }
  }

  private Process start(
      ProgramWorkDir work, Path jar, String mainClassName, int parallelism, List<String> args)
      throws ProgramInvocationException {
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.add("-Xmx" + heapMb + "m");
    // a graph is small and the JVM short-lived: start fast rather than run fast
    command.add("-XX:+UseSerialGC");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-Xshare:auto");
    command.add("-XX:-UsePerfData");
    command.add("-Djava.io.tmpdir=" + work.dir());
    command.add("-cp");
    command.add(classPath);
    command.add(JobGraphBuilderMain.class.getName());
    command.add(work.dir().toString());
    command.add(jar.toAbsolutePath().toString());
    command.add(mainClassName);
    command.add(Integer.toString(parallelism));
    command.addAll(args);
    try {
      // the JobManager's working directory, as before: main() may resolve relative paths
      return new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(work.output().toFile())
          .start();
    } catch (IOException e) {
      throw new ProgramInvocationException(
          "cannot start a JVM to run main() of "
              + mainClassName
              + ": "
              + ErrorLines.firstLine(e.getMessage()),
          e);
    }
  }

  private JobGraph interpret(
      ProgramWorkDir work,
      Process process,
      boolean exited,
      String mainClassName,
      JobGraphReader reader)
      throws ProgramInvocationException {
    Optional<Outcome> outcome;
    try {
      outcome = work.outcome();
    } catch (IOException e) {
      throw new ProgramInvocationException(
          "the JVM that ran main() of " + mainClassName + " left no readable outcome", e);
    }
    if (outcome.isPresent()) {
      switch (outcome.get().kind()) {
        case FAILED -> throw new ProgramInvocationException(outcome.get().message());
        case OUT_OF_MEMORY -> throw outOfMemory(mainClassName);
        case HANDED_OVER -> {
          return read(work, reader, mainClassName);
        }
      }
    }
    if (work.graph().isPresent()) {
      // main() built its job, then blocked or ended the JVM before returning: the job stands
      LOG.warn(
          "main() of {} handed over its job but {}; going on with the job",
          mainClassName,
          exited
              ? "then ended its JVM with status " + process.exitValue()
              : "did not return within "
                  + JobManagerOptions.PROGRAM_TIMEOUT.print(timeout)
                  + " and was killed");
      return read(work, reader, mainClassName);
    }
    if (!exited) {
      throw new ProgramInvocationException(
          "main() of "
              + mainClassName
              + " did not build a job within "
              + JobManagerOptions.PROGRAM_TIMEOUT.print(timeout)
              + " (jobmanager.program.timeout)");
    }
    int status = process.exitValue();
    if (!work.started()) {
      throw new ProgramInvocationException(
          "the JVM to run main() of "
              + mainClassName
              + " did not start (exit status "
              + status
              + "): "
              + String.join(" ", work.lastOutputLines(1)));
    }
    if (status > 128) {
      throw new ProgramInvocationException(
          "the JVM running main() of "
              + mainClassName
              + " was killed by signal "
              + (status - 128)
              + " before main() handed over a job graph");
    }
    throw new ProgramInvocationException(
        "main() of "
            + mainClassName
            + " called System.exit("
            + status
            + ") before handing over a job graph");
  }

  private ProgramInvocationException outOfMemory(String mainClassName) {
    return new ProgramInvocationException(
        "main() of "
            + mainClassName
            + " ran out of memory ("
            + JobManagerOptions.PROGRAM_HEAP_MB.key()
            + ": "
            + heapMb
            + " MiB)");
  }

  private static JobGraph read(ProgramWorkDir work, JobGraphReader reader, String mainClassName)
      throws ProgramInvocationException {
    Path file =
        work.graph()
            .orElseThrow(
                () ->
                    new ProgramInvocationException(
                        "main() of " + mainClassName + " did not call execute()"));
    try {
      return reader.read(file);
    } catch (IOException e) {
      throw new ProgramInvocationException(
          "the job graph main() of " + mainClassName + " built cannot be read: " + e.getMessage(),
          e);
    }
  }

  private Path createWorkDir(String mainClassName) throws ProgramInvocationException {
    try {
      return Files.createTempDirectory(Files.createDirectories(scratchDir), "baton-program-");
    } catch (IOException e) {
      throw new ProgramInvocationException(
          "cannot create a work directory to run main() of "
              + mainClassName
              + ": "
              + ErrorLines.firstLine(e.getMessage()),
          e);
    }
  }

  private static void kill(Process process, String mainClassName) {
    // processes main() started would outlive the JVM that started them
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      if (!process.waitFor(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn(
            "The JVM {} that ran main() of {} did not die within {} ms of SIGKILL",
            process.pid(),
            mainClassName,
            KILL_TIMEOUT.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void deleteRecursively(Path dir) {
    try {
      DirectoryTree.delete(dir);
    } catch (IOException e) {
      LOG.warn("Could not delete {}, where a job's main() ran", dir, e);
    }
  }
}
