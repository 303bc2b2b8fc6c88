package io.baton.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Debian's {@code prometheus} as a process of its own: its own port and data directory, scraping
 * every second and evaluating its rules every second, its log under the cluster's log directory.
 * The test asks it what it sees through its HTTP API, as an operator's alerting would.
 */
final class PrometheusServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

  private final Process process;
  private final int port;
  private final Path log;
  private final HttpClient http = HttpClient.newHttpClient();

  private PrometheusServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts Prometheus with {@code rules} and two scrape jobs as in the shipped sample
   * configuration: {@code baton-jobmanager} on {@code jobManagers} and {@code baton-taskmanager} on
   * {@code taskManagers} (each {@code host:port}); waits until it is ready.
   */
  static PrometheusServer start(
      Path dir, Path logDir, Path rules, List<String> jobManagers, List<String> taskManagers)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Files.createDirectories(logDir);
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "global:",
            "  scrape_interval: 1s",
            "  scrape_timeout: 1s",
            "  evaluation_interval: 1s",
            "rule_files:",
            "  - " + rules.toAbsolutePath(),
            "scrape_configs:",
            "  - job_name: baton-jobmanager",
            "    static_configs:",
            "      - targets: " + yamlList(jobManagers),
            "  - job_name: baton-taskmanager",
            "    static_configs:",
            "      - targets: " + yamlList(taskManagers),
            ""));
    int port = freePort();
    Path log = logDir.resolve("prometheus.log");
    Process process =
        new ProcessBuilder(
                PrometheusTools.executable("prometheus").toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    PrometheusServer server = new PrometheusServer(process, port, log);
    try {
      Awaits.until("Prometheus ready on port " + port, Duration.ofSeconds(60), server::ready);
    } catch (AssertionError | RuntimeException e) {
      server.close();
      throw new AssertionError(e.getMessage() + "\n" + server.logTail(), e);
    }
    return server;
  }

  private static String yamlList(List<String> targets) {
    return targets.stream().map(t -> "\"" + t + "\"").collect(Collectors.joining(", ", "[", "]"));
  }

  private boolean ready() {
    if (!process.isAlive()) {
      throw new AssertionError("Prometheus exited with " + process.exitValue());
    }
    try {
      return get("/-/ready").statusCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  private HttpResponse<String> get(String path) throws IOException {
    try {
      return http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .timeout(REQUEST_TIMEOUT)
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private JsonNode api(String path) throws IOException {
    HttpResponse<String> r = get(path);
    if (r.statusCode() != 200) {
      throw new IOException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body()).get("data");
  }

  /** Every alert Prometheus holds now, pending or firing ({@code /api/v1/alerts}). */
  List<JsonNode> alerts() throws IOException {
    List<JsonNode> alerts = new ArrayList<>();
    api("/api/v1/alerts").get("alerts").forEach(alerts::add);
    return alerts;
  }

  /** The firing alert named {@code name} whose labels include {@code labels}, if any. */
  Optional<JsonNode> firing(String name, Map<String, String> labels) throws IOException {
    return alerts().stream()
        .filter(a -> a.get("state").asText().equals("firing"))
        .filter(a -> a.get("labels").path("alertname").asText().equals(name))
        .filter(
            a ->
                labels.entrySet().stream()
                    .allMatch(l -> a.get("labels").path(l.getKey()).asText().equals(l.getValue())))
        .findFirst();
  }

  /** Waits until the alert {@code name} with {@code labels} fires; returns it. */
  JsonNode awaitFiring(String name, Map<String, String> labels, Duration deadline) {
    JsonNode[] found = new JsonNode[1];
    Awaits.until(
        name + " " + labels + " firing in Prometheus",
        deadline,
        () -> {
          found[0] = firing(name, labels).orElse(null);
          return found[0] != null;
        });
    return found[0];
  }

  /** Waits until Prometheus holds no alert named {@code name}, pending or firing. */
  void awaitResolved(String name, Duration deadline) {
    Awaits.until(
        name + " resolved in Prometheus",
        deadline,
        () ->
            alerts().stream()
                .noneMatch(a -> a.get("labels").path("alertname").asText().equals(name)));
  }

  /** Waits until every scrape target is up. */
  void awaitTargetsUp(int count, Duration deadline) {
    Awaits.until(
        count + " scrape targets up in Prometheus",
        deadline,
        () -> {
          JsonNode targets = api("/api/v1/targets").get("activeTargets");
          int up = 0;
          for (JsonNode t : targets) {
            up += t.get("health").asText().equals("up") ? 1 : 0;
          }
          return up == count;
        });
  }

  /** The end of Prometheus' own log, for a failure message. */
  String logTail() {
    try {
      String text = Files.readString(log);
      return "===== prometheus =====\n" + text.substring(Math.max(0, text.length() - 4000));
    } catch (IOException e) {
      return "(prometheus log: " + e + ")";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0)) {
      return probe.getLocalPort();
    }
  }

  /** Stops the process (SIGTERM, then SIGKILL after 10 s). */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
