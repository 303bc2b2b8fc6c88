package io.baton.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Apache Flink's own command-line client ({@code flink-clients} 1.20.1 from Maven Central,
 * unmodified), run as Flink's {@code bin/flink} runs it: {@code CliFrontend} in a JVM of its own
 * with the Java 17 options of Flink's distribution and {@code FLINK_CONF_DIR} naming an empty
 * configuration directory. Its class path is the one the {@code flink-cli} module writes at build
 * time; Flink never comes onto the test's class path.
 */
final class FlinkCli {
  private static final Path CLASSPATH_FILE =
      Path.of("..", "flink-cli", "target", "flink-cli-classpath.txt");
  private static final String MAIN = "org.apache.flink.client.cli.CliFrontend";

  private final Path workDir;
  private final String classpath;
  private final Duration timeout;
  private final AtomicInteger runs = new AtomicInteger();

  /**
   * @param workDir where the configuration directory and each run's output go
   * @param timeout how long one command may take before it is killed and the test fails
   */
  FlinkCli(Path workDir, Duration timeout) throws IOException {
    Path file = CLASSPATH_FILE.toAbsolutePath().normalize();
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(
          "no " + file + ": build first with mvn -B -q package -DskipTests");
    }
    this.classpath = Files.readString(file).trim();
    this.workDir = Files.createDirectories(workDir);
    this.timeout = timeout;
    // Flink's CLI insists on a configuration directory; the defaults are what a user starts with
    Path conf = Files.createDirectories(workDir.resolve("flink-conf"));
    Files.writeString(conf.resolve("config.yaml"), "");
  }

  /** What one command printed (stdout and stderr together) and its exit code. */
  record Outcome(int exitCode, String output) {}

  /**
   * Runs {@code flink <command> -m <jobManager> <args...>}.
   *
   * @param jobManager {@code host:port} of the JobManager's REST API
   */
  Outcome run(String command, String jobManager, String... args) {
    List<String> line = new ArrayList<>();
    line.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    line.addAll(FlinkSessionCluster.JAVA_17_OPTIONS);
    line.add("-Xmx256m");
    line.add("-cp");
    line.add(classpath);
    line.add(MAIN);
    line.add(command);
    line.add("-m");
    line.add(jobManager);
    line.addAll(List.of(args));
    Path output = workDir.resolve("flink-" + command + "-" + runs.incrementAndGet() + ".out");
    try {
      ProcessBuilder builder =
          new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(output.toFile());
      builder.environment().put("FLINK_CONF_DIR", workDir.resolve("flink-conf").toString());
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        throw new AssertionError(
            "flink "
                + String.join(" ", line.subList(line.indexOf(MAIN) + 1, line.size()))
                + " did not end within "
                + timeout
                + "; it printed: "
                + Files.readString(output, StandardCharsets.UTF_8));
      }
      return new Outcome(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
