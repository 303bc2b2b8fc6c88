package io.baton.coordinator.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.common.config.Configuration;
import io.baton.coordinator.blob.LocalBlobStore;
import io.baton.coordinator.rest.TestHttp.Response;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /jobmanager/*} in Flink's shapes: configuration, environment, logs, metrics, threads. */
class JobManagerRestTest {
  @TempDir Path dir;

  private final List<RestServer> servers = new ArrayList<>();

  @AfterEach
  void stopServers() {
    servers.forEach(RestServer::close);
  }

  @Test
  void configurationIsListedWithSecretsMasked() {
    TestHttp http =
        start(
            RestFixtures.configuration()
                .setString("security.ssl.rest.keystore-password", "hunter2")
                .setString("s3.secret-key", "abc")
                .setString("state.checkpoints.dir", "file:///cp"),
            Optional.empty());

    JsonNode config = http.get("/jobmanager/config").json();

    assertThat(config.isArray()).isTrue();
    assertThat(valueOf(config, "state.checkpoints.dir")).isEqualTo("file:///cp");
    assertThat(valueOf(config, "security.ssl.rest.keystore-password")).isEqualTo("******");
    assertThat(valueOf(config, "s3.secret-key")).isEqualTo("******");
    assertThat(config.toString()).doesNotContain("hunter2");
  }

  @Test
  void logsStdoutAndLogFilesByNameAreServedFromTheLogDirectoryOnly() throws Exception {
    Path logs = Files.createDirectories(dir.resolve("log"));
    Path log = Files.writeString(logs.resolve("baton-jobmanager-0-host.log"), "INFO leading\n");
    Files.writeString(logs.resolve("baton-jobmanager-0-host.out"), "printed\n");
    Files.writeString(dir.resolve("secret.txt"), "not a log");
    TestHttp http = start(RestFixtures.configuration(), Optional.of(log));

    JsonNode list = http.get("/jobmanager/logs").json().get("logs");
    assertThat(list)
        .extracting(n -> n.get("name").asText())
        .containsExactly("baton-jobmanager-0-host.log", "baton-jobmanager-0-host.out");
    assertThat(http.get("/jobmanager/log").body()).isEqualTo("INFO leading\n");
    assertThat(http.get("/jobmanager/stdout").body()).isEqualTo("printed\n");
    assertThat(http.get("/v1/jobmanager/logs/baton-jobmanager-0-host.out").body())
        .isEqualTo("printed\n");

    Response escape = http.get("/jobmanager/logs/..%2Fsecret.txt");
    assertThat(escape.status()).isIn(400, 404);
    assertThat(escape.body()).doesNotContain("not a log");
    Response missing = http.get("/jobmanager/logs/nothing.log");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.error()).isEqualTo("no log file nothing.log");
  }

  @Test
  void withoutALogFileTheAnswerSaysWhyInOneLine() {
    TestHttp http = start(RestFixtures.configuration(), Optional.empty());

    Response log = http.get("/jobmanager/log");

    assertThat(log.status()).isEqualTo(404);
    assertThat(log.error()).contains("started without baton.log.file");
    assertThat(http.get("/jobmanager/logs").json().get("logs")).isEmpty();
  }

  @Test
  void environmentMetricsAndThreadDumpHaveFlinksShapes() {
    TestHttp http = start(RestFixtures.configuration(), Optional.empty());

    JsonNode env = http.get("/jobmanager/environment").json();
    assertThat(env.get("jvm").get("version").asText()).isNotBlank();
    assertThat(env.get("jvm").get("options").isArray()).isTrue();
    assertThat(env.get("classpath").isArray()).isTrue();

    JsonNode names = http.get("/jobmanager/metrics").json();
    assertThat(names).extracting(n -> n.get("id").asText()).contains("Status.JVM.Memory.Heap.Used");
    JsonNode values =
        http.get("/jobmanager/metrics?get=Status.JVM.Memory.Heap.Max,no.such.metric").json();
    assertThat(values).hasSize(1);
    assertThat(values.get(0).get("value").asLong()).isPositive();

    JsonNode threads = http.get("/jobmanager/thread-dump").json().get("threadInfos");
    assertThat(threads)
        .extracting(t -> t.get("threadName").asText())
        .anyMatch(n -> n.startsWith("baton-rest"));
  }

  private static String valueOf(JsonNode entries, String key) {
    for (JsonNode e : entries) {
      if (e.get("key").asText().equals(key)) {
        return e.get("value").asText();
      }
    }
    throw new AssertionError("no " + key + " in " + entries);
  }

  private TestHttp start(Configuration conf, Optional<Path> logFile) {
    try {
      RestServer server =
          new RestServer(
              conf,
              new FakeDispatcher(),
              new LocalBlobStore(Files.createTempDirectory(dir, "blobs")),
              new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
              RestServerOptions.defaults()
                  .withClock(Clock.systemUTC())
                  .withDispatcherTimeout(Duration.ofSeconds(5))
                  .withLogFile(logFile));
      servers.add(server);
      server.start();
      return new TestHttp(server.port());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
