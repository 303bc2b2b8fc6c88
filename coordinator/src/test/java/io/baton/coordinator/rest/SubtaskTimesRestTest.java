package io.baton.coordinator.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.common.config.Configuration;
import io.baton.common.config.RestOptions;
import io.baton.common.execution.ExecutionState;
import io.baton.common.ids.JobId;
import io.baton.coordinator.blob.LocalBlobStore;
import io.baton.coordinator.status.JobDetails;
import io.baton.coordinator.status.JobStatus;
import io.baton.coordinator.status.SubtaskDetails;
import io.baton.coordinator.status.VertexDetails;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /jobs/{id}/vertices/{vertexId}/subtasktimes}: when each subtask reached a state. */
class SubtaskTimesRestTest {
  private static final long NOW = 1_700_000_060_000L;

  @TempDir Path dir;
  private final FakeDispatcher dispatcher = new FakeDispatcher();
  private RestServer server;
  private TestHttp http;

  @BeforeEach
  void startServer() throws Exception {
    server =
        new RestServer(
            new Configuration().set(RestOptions.BIND_ADDRESS, "127.0.0.1").set(RestOptions.PORT, 0),
            dispatcher,
            new LocalBlobStore(dir.resolve("blobs")),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            RestServerOptions.defaults()
                .withClock(Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC)));
    server.start();
    http = new TestHttp(server.port());
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void listsEveryStateWithTheTimeTheCurrentAttemptReachedIt() {
    JobDetails job =
        job(
            new SubtaskDetails(
                0,
                ExecutionState.RUNNING,
                2,
                "tm-1",
                "10.0.0.5",
                0,
                0,
                Map.of(
                    ExecutionState.CREATED, NOW - 3_000,
                    ExecutionState.SCHEDULED, NOW - 2_900,
                    ExecutionState.DEPLOYING, NOW - 2_000,
                    ExecutionState.RUNNING, NOW - 1_500)),
            new SubtaskDetails(
                1,
                ExecutionState.DEPLOYING,
                2,
                "tm-2",
                "10.0.0.6",
                0,
                0,
                Map.of(ExecutionState.CREATED, NOW - 3_000, ExecutionState.DEPLOYING, NOW - 100)));
    dispatcher.addJob(job);

    TestHttp.Response response = http.get("/jobs/" + job.id().value() + "/vertices/7/subtasktimes");

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    JsonNode body = response.json();
    assertThat(body.get("id").asText()).isEqualTo("00000000000000000000000000000007");
    assertThat(body.get("baton-index").asInt()).isEqualTo(7);
    assertThat(body.get("name").asText()).isEqualTo("running-balance");
    assertThat(body.get("now").asLong()).isEqualTo(NOW);
    JsonNode running = body.get("subtasks").get(0);
    assertThat(running.get("subtask").asInt()).isZero();
    assertThat(running.get("host").asText()).isEqualTo("10.0.0.5");
    assertThat(running.get("taskmanager-id").asText()).isEqualTo("tm-1");
    assertThat(running.get("status").asText()).isEqualTo("RUNNING");
    assertThat(running.get("attempt").asInt()).isEqualTo(2);
    assertThat(running.get("duration").asLong()).isEqualTo(2_000);
    assertThat(running.get("timestamps").get("RUNNING").asLong()).isEqualTo(NOW - 1_500);
    assertThat(running.get("timestamps").get("FINISHED").asLong()).isZero();
    JsonNode deploying = body.get("subtasks").get(1);
    assertThat(deploying.get("status").asText()).isEqualTo("DEPLOYING");
    assertThat(deploying.get("timestamps").get("RUNNING").asLong()).isZero();
    assertThat(deploying.get("timestamps").get("DEPLOYING").asLong()).isEqualTo(NOW - 100);
  }

  @Test
  void anUnknownVertexIsA404NamingIt() {
    JobDetails job = job();
    dispatcher.addJob(job);

    TestHttp.Response response =
        http.get("/jobs/" + job.id().value() + "/vertices/99/subtasktimes");

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.error()).isEqualTo("job " + job.id() + " has no vertex '99'");
  }

  private static JobDetails job(SubtaskDetails... subtasks) {
    VertexDetails vertex =
        new VertexDetails(
            7,
            "running-balance",
            subtasks.length,
            ExecutionState.RUNNING,
            NOW - 2_000,
            Map.of(ExecutionState.RUNNING, subtasks.length),
            0,
            0,
            0,
            0,
            List.of(subtasks));
    return new JobDetails(
        JobId.random(),
        "ledger",
        JobStatus.RUNNING,
        NOW - 5_000,
        -1,
        5_000,
        Map.of(ExecutionState.RUNNING, subtasks.length),
        List.of(vertex),
        null,
        0,
        NOW);
  }
}
