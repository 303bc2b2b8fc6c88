package io.baton.taskmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.baton.common.config.Configuration;
import io.baton.common.config.MetricOptions;
import io.baton.taskmanager.network.GrpcNetworkEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskManagerMetricsEndpointTest {
  @TempDir Path tmp;

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private TaskManager start(Configuration config) {
    return TaskManager.start(config, GrpcNetworkEnvironment::new, new FakeTasks());
  }

  @Test
  void servesItsSlotsRegistrationAndJvmFiguresOnAnyFreePort() throws Exception {
    try (FakeJobManager jobManager = FakeJobManager.onFreePort().start();
        TaskManager taskManager =
            start(
                TestConfigs.taskManager(jobManager.port, tmp)
                    .setString(MetricOptions.PROMETHEUS_PORT.key(), "0"))) {
      int port = taskManager.metricsPort().orElseThrow();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  get(port, "/metrics")
                      .body()
                      .contains("baton_taskmanager_jobmanager_registered 1"));
      HttpResponse<String> metrics = get(port, "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
      assertThat(metrics.body())
          .contains("baton_taskmanager_slots 2.0")
          .contains("baton_taskmanager_slots_used 0.0")
          .contains("baton_taskmanager_tasks_running 0.0")
          .contains("baton_taskmanager_checkpoint_ack_seconds_count 0")
          .contains("jvm_memory_used_bytes{area=\"heap\"")
          .contains("process_cpu_seconds_total ");
      assertThat(get(port, "/jobs").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void servesNoMetricsWhenThePortIsNotSet() throws Exception {
    try (FakeJobManager jobManager = FakeJobManager.onFreePort().start();
        TaskManager taskManager = start(TestConfigs.taskManager(jobManager.port, tmp))) {
      assertThat(taskManager.metricsPort()).isEmpty();
    }
  }

  @Test
  void aTakenPortOfTheRangeGivesWayToTheNext() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.1"));
        FakeJobManager jobManager = FakeJobManager.onFreePort().start()) {
      int first = taken.getLocalPort();
      String range = first + "-" + Math.min(65535, first + 20);
      try (TaskManager taskManager =
          start(
              TestConfigs.taskManager(jobManager.port, tmp)
                  .setString(MetricOptions.PROMETHEUS_PORT.key(), range))) {
        assertThat(taskManager.metricsPort().orElseThrow()).isBetween(first + 1, first + 20);
        assertThat(get(taskManager.metricsPort().getAsInt(), "/metrics").statusCode())
            .isEqualTo(200);
      }
    }
  }

  @Test
  void aTakenPortStopsStartUpWithOneLineNamingTheKey() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      Configuration config =
          TestConfigs.taskManager(FakeJobManager.freePort(), tmp)
              .setString(MetricOptions.PROMETHEUS_PORT.key(), Integer.toString(port));
      assertThatThrownBy(() -> start(config))
          .isInstanceOf(TaskManagerStartupException.class)
          .hasMessage("metrics.reporter.prom.port " + port + " is already in use on 127.0.0.1");
    }
  }

  @Test
  void aBadPortValueStopsStartUpWithOneLineNamingTheKey() {
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
    int exitCode =
        TaskManagerEntrypoint.run(
            new String[] {"--configDir", tmp.toString(), "-Dmetrics.reporter.prom.port=9260-9250"},
            Map.<String, String>of()::get,
            err,
            this::start);

    assertThat(exitCode).isEqualTo(1);
    assertThat(errBytes.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "baton taskmanager: invalid value '9260-9250' for configuration key"
                + " 'metrics.reporter.prom.port': allowed range is a port 0..65535 or a range like"
                + " 9250-9260 in the command line"
                + System.lineSeparator());
  }
}
