package io.baton.coordinator.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.common.config.Configuration;
import io.baton.common.config.RestOptions;
import io.baton.coordinator.ManualClock;
import io.baton.coordinator.ManualMainThreadExecutor;
import io.baton.coordinator.blob.LocalBlobStore;
import io.baton.coordinator.jobmaster.AdoptedJobFixture;
import io.baton.coordinator.jobmaster.JobMaster;
import io.baton.coordinator.status.JobDetails;
import io.baton.ha.DeploymentRecord;
import io.baton.ha.DeploymentRecord.RecordedExecution;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /jobs/{id}} and the subtask times of a job whose running tasks a new leader adopted:
 * counted in {@code reconciliations}, with the adoption in its events, and every subtask's attempt
 * and start as the previous leader recorded them.
 */
class AdoptedJobRestTest {
  private static final long RECORDED_START = 1_700_000_000_500L;

  @TempDir Path dir;
  private final FakeDispatcher dispatcher = new FakeDispatcher();
  private final ManualClock clock = new ManualClock(RECORDED_START + 60_000);
  private final ManualMainThreadExecutor mainThread = new ManualMainThreadExecutor(clock);
  private RestServer server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void anAdoptedJobShowsItsReconciliationAndItsSubtasksAsTheyWereRecorded() throws Exception {
    AdoptedJobFixture job = new AdoptedJobFixture();
    DeploymentRecord record = job.record(4, RECORDED_START, 0);
    JobMaster jobMaster = job.recovering(mainThread, clock, Runnable::run, Duration.ofSeconds(10));
    jobMaster.start();
    mainThread.runAll();
    job.reportRunning(record.executions());
    mainThread.runAll();
    CompletableFuture<JobDetails> details = jobMaster.requestDetails();
    mainThread.runAll();
    dispatcher.addJob(details.get());
    TestHttp http = startServer();

    JsonNode body = http.get("/jobs/" + job.jobId).json();

    assertThat(body.get("state").asText()).isEqualTo("RUNNING");
    assertThat(body.get("restarts").asInt()).isZero();
    assertThat(body.get("recoveries").asInt()).isEqualTo(1);
    assertThat(body.get("reconciliations").asInt()).isEqualTo(1);
    assertThat(body.get("events")).hasSize(1);
    assertThat(body.get("events").get(0).get("type").asText()).isEqualTo("ADOPTED");
    assertThat(body.get("events").get(0).get("message").asText())
        .isEqualTo("adopted 8 tasks from leader " + AdoptedJobFixture.PREVIOUS_LEADER);
    assertThat(body.get("vertices")).hasSize(3);
    for (JsonNode vertex : body.get("vertices")) {
      assertThat(vertex.get("start-time").asLong()).isEqualTo(RECORDED_START);
      JsonNode times =
          http.get("/jobs/" + job.jobId + "/vertices/" + vertex.get("id").asInt() + "/subtasktimes")
              .json();
      assertThat(times.get("subtasks")).hasSize(vertex.get("parallelism").asInt());
      for (JsonNode subtask : times.get("subtasks")) {
        RecordedExecution recorded =
            record.executions().stream()
                .filter(
                    e ->
                        e.vertexId() == vertex.get("id").asInt()
                            && e.subtaskIndex() == subtask.get("subtask").asInt())
                .findFirst()
                .orElseThrow();
        assertThat(subtask.get("attempt").asInt()).isEqualTo(recorded.attempt()).isEqualTo(4);
        assertThat(subtask.get("status").asText()).isEqualTo("RUNNING");
        assertThat(subtask.get("taskmanager-id").asText())
            .isEqualTo(recorded.taskManagerId().toString());
        assertThat(subtask.get("timestamps").get("DEPLOYING").asLong())
            .isEqualTo(recorded.startTime());
        assertThat(subtask.get("timestamps").get("RUNNING").asLong())
            .isEqualTo(recorded.startTime());
      }
    }
  }

  private TestHttp startServer() throws Exception {
    server =
        new RestServer(
            new Configuration().set(RestOptions.BIND_ADDRESS, "127.0.0.1").set(RestOptions.PORT, 0),
            dispatcher,
            new LocalBlobStore(dir.resolve("blobs")),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            RestServerOptions.defaults().withClock(clock));
    server.start();
    return new TestHttp(server.port());
  }
}
