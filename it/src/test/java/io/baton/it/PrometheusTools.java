package io.baton.it;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code prometheus} package as the tests use it: {@code promtool} to check what Baton
 * ships and serves, and where the {@code prometheus} server is. A missing tool fails the test with
 * a line saying what to install; nothing is skipped.
 */
final class PrometheusTools {
  /** The repository's root, where conf/ lives. */
  static final Path HOME = Path.of("..").toAbsolutePath().normalize();

  static final Path RULES = HOME.resolve("conf/prometheus/baton-alerts.yml");
  static final Path SAMPLE_CONFIG = HOME.resolve("conf/prometheus/prometheus.yml");

  private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration SCRAPE_TIMEOUT = Duration.ofSeconds(5);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private PrometheusTools() {}

  /** What a tool printed (stdout and stderr together) and how it exited. */
  record Result(int exitCode, String output) {}

  /**
   * The executable {@code name} on the PATH or in /usr/bin.
   *
   * @throws AssertionError saying to install Debian's prometheus package when it is missing
   */
  static Path executable(String name) {
    List<Path> candidates = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        candidates.add(Path.of(dir, name));
      }
    }
    candidates.add(Path.of("/usr/bin", name));
    return candidates.stream()
        .filter(Files::isExecutable)
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    name
                        + " is not installed: install Debian's prometheus package (apt-get install"
                        + " -y prometheus; .ci/run does when it is missing)"));
  }

  /**
   * {@code GET http://<hostPort>/metrics}, as Prometheus scrapes a Baton process.
   *
   * @throws AssertionError when it does not answer 200
   */
  static String scrape(String hostPort) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://" + hostPort + "/metrics"))
                .timeout(SCRAPE_TIMEOUT)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new AssertionError(
          "GET http://" + hostPort + "/metrics answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  /** Runs {@code promtool args...} in {@code dir} with {@code stdin} as its input (may be null). */
  static Result promtool(Path dir, String stdin, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(executable("promtool").toString());
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    if (stdin != null) {
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(TOOL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("promtool " + args[0] + " did not end within " + TOOL_TIMEOUT);
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}
