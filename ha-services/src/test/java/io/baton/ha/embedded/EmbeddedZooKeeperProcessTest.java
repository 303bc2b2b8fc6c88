package io.baton.ha.embedded;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's main() in a JVM of its own, as bin/zookeeper.sh runs it. */
class EmbeddedZooKeeperProcessTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final Pattern SERVING =
      Pattern.compile("ZooKeeper serving on 127\\.0\\.0\\.1:(\\d+), data in .*");

  @TempDir Path tmp;
  private Process process;

  @AfterEach
  void killLeftovers() {
    if (process != null) {
      process.destroyForcibly();
    }
  }

  @Test
  void servesUntilSigtermAndThenFreesItsPort() throws Exception {
    process = launch("0");
    Queue<String> stdout = drain(process);

    await().atMost(TIMEOUT).until(() -> servingPort(stdout) > 0);
    int port = servingPort(stdout);
    assertThat(EmbeddedZooKeeperServerTest.fourLetterWord(port, "ruok")).isEqualTo("imok");
    assertThat(Files.exists(tmp.resolve("data/zookeeper/version-2"))).isTrue();

    process.destroy(); // SIGTERM
    assertThat(process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(accepts(port)).isFalse();
  }

  @Test
  void aTakenPortEndsTheProcessWithOneLineAndExitCode1() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      process = launch(Integer.toString(taken.getLocalPort()));
      String stderr;
      try (BufferedReader err =
          new BufferedReader(new InputStreamReader(process.getErrorStream(), UTF_8))) {
        drain(process);
        assertThat(process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        stderr = String.join("\n", err.lines().toList());
      }

      assertThat(process.exitValue()).isEqualTo(1);
      assertThat(stderr)
          .isEqualTo(
              "baton zookeeper: port "
                  + taken.getLocalPort()
                  + " on 127.0.0.1 is already in use (high-availability.zookeeper.embedded.port)");
    }
  }

  private Process launch(String port) throws IOException {
    Path conf = Files.createDirectories(tmp.resolve("conf"));
    Files.writeString(conf.resolve("baton-conf.yaml"), "high-availability.type: zookeeper\n");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return new ProcessBuilder(
            List.of(
                java.toString(),
                "-Xmx128m",
                "-cp",
                System.getProperty("java.class.path"),
                EmbeddedZooKeeperServer.class.getName(),
                "--configDir",
                conf.toString(),
                "--dataDir",
                tmp.resolve("data/zookeeper").toString(),
                "-Dhigh-availability.zookeeper.embedded.port=" + port))
        .start();
  }

  /** Collects the process's stdout lines on a thread of their own. */
  private static Queue<String> drain(Process process) {
    Queue<String> lines = new ConcurrentLinkedQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
                out.lines().forEach(lines::add);
              } catch (IOException | UncheckedIOException e) {
                // the process ended and its stream was closed: nothing more to read
              }
            },
            "zookeeper-stdout");
    reader.setDaemon(true);
    reader.start();
    return lines;
  }

  private static int servingPort(Queue<String> stdout) {
    for (String line : stdout) {
      Matcher m = SERVING.matcher(line);
      if (m.matches()) {
        return Integer.parseInt(m.group(1));
      }
    }
    return -1;
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
