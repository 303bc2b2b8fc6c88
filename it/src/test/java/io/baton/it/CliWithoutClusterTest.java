package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code bin/baton} as a user runs it with no cluster up: every command answers with one line
 * within 3 s of the JVM's start, exit code 1, no stack trace and no ZooKeeper client noise.
 */
class CliWithoutClusterTest {
  private static final Path HOME = Path.of("..").toAbsolutePath().normalize();
  private static final Path BATON = HOME.resolve("bin").resolve("baton");
  private static final Path EXAMPLES = HOME.resolve("examples/target/baton-examples.jar");
  private static final String JOB_ID = "0123456789abcdef0123456789abcdef";
  private static final Duration ANSWER_WITHIN = Duration.ofSeconds(3);

  @TempDir static Path workDir;
  private static Path haConf;
  private static Path plainConf;
  private static int zooKeeperPort;
  private static int restPort;
  private static Duration jvmStart;

  record Run(int exitCode, String out, String err, Duration took) {}

  @BeforeAll
  static void writeConfigurations() throws Exception {
    zooKeeperPort = freePort();
    restPort = freePort();
    haConf =
        conf(
            "ha",
            "high-availability.type: zookeeper",
            "high-availability.zookeeper.quorum: 127.0.0.1:" + zooKeeperPort,
            "high-availability.storageDir: " + workDir.resolve("ha").toUri());
    plainConf = conf("plain", "high-availability.type: none", "rest.port: " + restPort);
    // what starting the JVM costs on this machine right now: the command's own time is the rest
    jvmStart = baton(plainConf, "--version").took();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"list", "info", "cancel", "savepoint", "cancel-with-savepoint", "run", "run-s"})
  void withNoZooKeeperEveryCommandSaysSoInOneLine(String command) throws Exception {
    Run run = baton(haConf, args(command));

    assertOneLine(
        run,
        "baton: no cluster answers at ZooKeeper 127.0.0.1:"
            + zooKeeperPort
            + " (is the cluster running? bin/start-cluster.sh)");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"list", "info", "cancel", "savepoint", "cancel-with-savepoint", "run", "run-s"})
  void withNoJobManagerEveryCommandSaysSoInOneLine(String command) throws Exception {
    Run run = baton(plainConf, args(command));

    assertOneLine(
        run,
        "baton: no JobManager answers at localhost:"
            + restPort
            + " (is the cluster running? bin/start-cluster.sh)");
  }

  private static void assertOneLine(Run run, String line) {
    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.err()).isEqualTo(line + "\n");
    assertThat(run.out()).isEmpty();
    assertThat(run.took().minus(jvmStart))
        .as("time to answer beyond the JVM's start (%s)", jvmStart)
        .isLessThan(ANSWER_WITHIN);
  }

  private static String[] args(String command) {
    String savepoints = workDir.resolve("savepoints").toUri().toString();
    return switch (command) {
      case "list", "info" -> new String[] {command};
      case "cancel" -> new String[] {"cancel", JOB_ID};
      case "savepoint" -> new String[] {"savepoint", JOB_ID, savepoints};
      case "cancel-with-savepoint" -> new String[] {"cancel", "-s", savepoints, JOB_ID};
      case "run" -> new String[] {"run", "-d", EXAMPLES.toString()};
      case "run-s" -> new String[] {"run", "-d", "-s", savepoints, EXAMPLES.toString()};
      default -> throw new IllegalArgumentException(command);
    };
  }

  private static Run baton(Path confDir, String... args) throws IOException, InterruptedException {
    Path out = Files.createTempFile(workDir, "baton", ".out");
    Path err = Files.createTempFile(workDir, "baton", ".err");
    List<String> command = new ArrayList<>(List.of("bash", BATON.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    builder.environment().put("BATON_CONF_DIR", confDir.toString());
    long start = System.nanoTime();
    Process process = builder.start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("bin/baton " + String.join(" ", args) + " ran for a minute");
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    return new Run(process.exitValue(), Files.readString(out), Files.readString(err), took);
  }

  private static Path conf(String name, String... lines) throws IOException {
    Path dir = Files.createDirectories(workDir.resolve(name));
    Files.copy(
        HOME.resolve("conf").resolve("log4j2-console.properties"),
        dir.resolve("log4j2-console.properties"),
        StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(dir.resolve("baton-conf.yaml"), String.join("\n", lines) + "\n");
    return dir;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
