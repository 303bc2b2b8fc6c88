package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A JobManager or TaskManager started by its script with a value outside its key's range stops at
 * once with one line naming the key, the value and the range, and exit code 1. (Every value of
 * every key is covered by OptionRangeTest through the same ConfigurationLoader; these start real
 * processes for a few.)
 */
class OutOfRangeStartUpTest {
  private static final Path HOME = Path.of("..").toAbsolutePath().normalize();

  @TempDir static Path workDir;
  private static Path confDir;

  @BeforeAll
  static void writeConfiguration() throws IOException {
    confDir = Files.createDirectories(workDir.resolve("conf"));
    for (String file : List.of("log4j2.properties", "log4j2-console.properties")) {
      Files.copy(
          HOME.resolve("conf").resolve(file),
          confDir.resolve(file),
          StandardCopyOption.REPLACE_EXISTING);
    }
    int restPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      restPort = socket.getLocalPort();
    }
    Files.writeString(
        confDir.resolve("baton-conf.yaml"),
        String.join(
            "\n",
            "high-availability.type: none",
            "rest.port: " + restPort,
            "jobmanager.rpc.port: 0",
            "taskmanager.rpc.port: 0",
            ""));
    Files.writeString(confDir.resolve("masters"), "localhost:" + restPort + "\n");
    Files.writeString(confDir.resolve("workers"), "localhost\n");
  }

  @ParameterizedTest(name = "{0} -D{1}={2}")
  @CsvSource(
      delimiter = ';',
      value = {
        "jobmanager; restart-strategy.exponential-delay.jitter-factor; 7; 0.0..1.0",
        "jobmanager; slot.request.timeout; 0; > 0 ms",
        "taskmanager; taskmanager.numberOfTaskSlots; 0; 1..1024",
      })
  void aValueOutsideItsRangeStopsTheProcessWithOneLine(
      String kind, String key, String value, String range) throws Exception {
    Path out = workDir.resolve(kind + ".out");
    Path err = workDir.resolve(kind + ".err");
    ProcessBuilder builder =
        new ProcessBuilder(
                "bash",
                HOME.resolve("bin").resolve(kind + ".sh").toString(),
                "start-foreground",
                "-D" + key + "=" + value)
            .directory(workDir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    builder.environment().put("BATON_CONF_DIR", confDir.toString());
    builder.environment().put("BATON_LOG_DIR", workDir.resolve("log").toString());
    builder.environment().put("BATON_PID_DIR", workDir.resolve("pids").toString());
    Process process = builder.start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(kind + " with " + key + "=" + value + " kept running");
    }

    assertThat(process.exitValue()).isEqualTo(1);
    assertThat(Files.readString(err))
        .isEqualTo(
            "baton "
                + kind
                + ": invalid value '"
                + value
                + "' for configuration key '"
                + key
                + "': allowed range is "
                + range
                + " in the command line\n");
  }
}
