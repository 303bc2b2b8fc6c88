package io.baton.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Baton process (JobManager or TaskManager) in a JVM of its own, started from the test's class
 * path, so a test can kill it with SIGKILL as an operator's kill -9 would.
 */
final class JvmProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path log;

  private JvmProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code mainClass} with {@code args}; stdout and stderr go to {@code
   * <logDir>/<name>.log}.
   */
  static JvmProcess start(
      String name, String mainClass, Path logDir, List<String> jvmOptions, List<String> args)
      throws IOException {
    return startWithClasspath(
        name, mainClass, System.getProperty("java.class.path"), logDir, jvmOptions, args);
  }

  /** Like {@link #start}, with a class path of its own. */
  static JvmProcess startWithClasspath(
      String name,
      String mainClass,
      String classpath,
      Path logDir,
      List<String> jvmOptions,
      List<String> args)
      throws IOException {
    Files.createDirectories(logDir);
    Path log = logDir.resolve(name + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classpath);
    command.add(mainClass);
    command.addAll(args);
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    return new JvmProcess(name, p, log);
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: no shutdown hooks, no goodbye to anyone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException(name + " (pid " + pid() + ") survived SIGKILL for 30 s");
    }
  }

  /** SIGTERM, as {@code kill <pid>} or a stop script sends it; does not wait. */
  void terminate() {
    process.destroy();
  }

  /** Waits for the process to exit; returns its exit code. */
  int awaitExit(java.time.Duration deadline) throws InterruptedException {
    if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(name + " (pid " + pid() + ") still runs after " + deadline);
    }
    return process.exitValue();
  }

  /** SIGSTOP: the process is frozen (no thread runs, no socket is answered) until resumed. */
  void pause() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** SIGCONT: a paused process runs on from where it stood. */
  void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + signal + " " + pid() + " (" + name + ") failed");
    }
  }

  /** How many characters the log holds now: a mark for {@link #logSince}. */
  int logLength() throws IOException {
    return logText().length();
  }

  /** What the process logged after {@code mark} (a {@link #logLength} taken earlier). */
  String logSince(int mark) throws IOException {
    String text = logText();
    return mark >= text.length() ? "" : text.substring(mark);
  }

  Path logFile() {
    return log;
  }

  String logText() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }
}
