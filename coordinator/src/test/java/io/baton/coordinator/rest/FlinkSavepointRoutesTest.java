package io.baton.coordinator.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.common.config.CheckpointingOptions;
import io.baton.common.config.Configuration;
import io.baton.coordinator.rest.TestHttp.Response;
import io.baton.coordinator.status.JobDetails;
import io.baton.coordinator.status.JobStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flink's savepoint operations as its CLI calls them: {@code POST /jobs/{id}/stop}, {@code POST
 * /savepoint-disposal} (confined to {@code state.savepoints.dir}) and {@code GET
 * /jobs/{id}/yarn-cancel}.
 */
class FlinkSavepointRoutesTest {
  @TempDir Path dir;

  private final FakeDispatcher dispatcher = new FakeDispatcher();
  private RestServer server;
  private TestHttp http;
  private Path savepoints;

  @BeforeEach
  void startServer() throws Exception {
    savepoints = Files.createDirectories(dir.resolve("savepoints"));
    Configuration conf =
        RestFixtures.configuration()
            .set(CheckpointingOptions.SAVEPOINT_DIRECTORY, savepoints.toUri().toString());
    server = RestFixtures.server(conf, dispatcher, dir.resolve("blobs"), null);
    server.start();
    http = new TestHttp(server.port());
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void stopTakesASavepointAndCancelsTheJob() {
    JobDetails job = RestFixtures.job(JobStatus.RUNNING, null);
    dispatcher.addJob(job);
    dispatcher.savepointLocation = "savepoint-1";
    String jid = job.id().value();

    Response stop =
        http.post(
            "/v1/jobs/" + jid + "/stop",
            "{\"targetDirectory\":\"" + savepoints.toUri() + "\",\"drain\":false}");

    assertThat(stop.status()).as(stop.body()).isEqualTo(202);
    String trigger = stop.json().get("request-id").asText();
    JsonNode status = http.get("/v1/jobs/" + jid + "/savepoints/" + trigger).json();
    assertThat(status.get("status").get("id").asText()).isEqualTo("COMPLETED");
    assertThat(status.get("operation").get("location").asText()).endsWith("/savepoint-1");
    assertThat(dispatcher.savepointCancels).containsExactly(true);
  }

  @Test
  void aRetriedTriggerWithTheSameTriggerIdStartsOneSavepoint() {
    JobDetails job = RestFixtures.job(JobStatus.RUNNING, null);
    dispatcher.addJob(job);
    dispatcher.savepointLocation = "savepoint-1";
    String body = "{\"triggerId\":\"0123456789abcdef0123456789abcdef\"}";

    Response first = http.post("/v1/jobs/" + job.id().value() + "/stop", body);
    Response again = http.post("/v1/jobs/" + job.id().value() + "/stop", body);

    assertThat(first.json().get("request-id").asText())
        .isEqualTo(again.json().get("request-id").asText())
        .isEqualTo("0123456789abcdef0123456789abcdef");
    assertThat(dispatcher.savepointRequests).hasSize(1);
  }

  @Test
  void badStopRequestsAreOneLine400s() {
    JobDetails job = RestFixtures.job(JobStatus.RUNNING, null);
    dispatcher.addJob(job);
    String path = "/jobs/" + job.id().value() + "/stop";

    assertError(http.post(path, "{\"drain\":true}"), 400, "drain is not supported");
    assertError(http.post(path, "{\"drain\":\"yes\"}"), 400, "drain must be true or false");
    assertError(http.post(path, "{\"formatType\":\"ZIP\"}"), 400, "formatType must be");
    assertError(http.post(path, "{\"triggerId\":\"../x\"}"), 400, "triggerId must be 32");
    assertError(http.post(path, "{\"targetDirectory\":\"\"}"), 400, "targetDirectory must be");
    assertError(http.post(path, "[1]"), 400, "must be a JSON object");
    assertError(http.post("/jobs/0123456789abcdef0123456789abcdef/stop", "{}"), 404, "not found");
    assertThat(dispatcher.savepointRequests).isEmpty();
  }

  @Test
  void disposalDeletesASavepointUnderTheSavepointDirectory() throws Exception {
    Path savepoint = Files.createDirectories(savepoints.resolve("savepoint-7"));
    Files.writeString(savepoint.resolve("_metadata"), "m");
    Files.writeString(savepoint.resolve("state-0"), "s");

    Response trigger =
        http.post("/v1/savepoint-disposal", "{\"savepoint-path\":\"" + savepoint + "\"}");

    assertThat(trigger.status()).as(trigger.body()).isEqualTo(202);
    String id = trigger.json().get("request-id").asText();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              JsonNode status = http.get("/v1/savepoint-disposal/" + id).json();
              assertThat(status.get("status").get("id").asText()).isEqualTo("COMPLETED");
              assertThat(status.get("operation").has("failure-cause")).isTrue();
              assertThat(status.get("operation").get("failure-cause").isNull()).isTrue();
            });
    assertThat(savepoint).doesNotExist();
    assertThat(savepoints).isDirectory();
  }

  @Test
  void disposalOutsideTheSavepointDirectoryIsRefusedAndDeletesNothing() throws Exception {
    Path elsewhere = Files.createDirectories(dir.resolve("precious"));
    Files.writeString(elsewhere.resolve("_metadata"), "m");

    assertError(
        http.post("/v1/savepoint-disposal", "{\"savepoint-path\":\"" + elsewhere + "\"}"),
        400,
        "outside state.savepoints.dir");
    assertError(
        http.post(
            "/v1/savepoint-disposal",
            "{\"savepoint-path\":\"" + savepoints.resolve("../precious") + "\"}"),
        400,
        "outside state.savepoints.dir");
    assertError(
        http.post("/v1/savepoint-disposal", "{\"savepoint-path\":\"" + savepoints + "\"}"),
        400,
        "outside state.savepoints.dir");
    assertError(http.post("/v1/savepoint-disposal", "{}"), 400, "needs \"savepoint-path\"");
    assertThat(elsewhere.resolve("_metadata")).exists();
  }

  @Test
  void disposalOfADirectoryThatHoldsNoSavepointFailsWithOneLine() throws Exception {
    Path notASavepoint = Files.createDirectories(savepoints.resolve("notes"));
    Files.writeString(notASavepoint.resolve("todo.txt"), "keep me");

    String id =
        http.post("/v1/savepoint-disposal", "{\"savepoint-path\":\"" + notASavepoint + "\"}")
            .json()
            .get("request-id")
            .asText();

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertError(
                    http.get("/v1/savepoint-disposal/" + id), 400, "holds no _metadata file"));
    assertThat(notASavepoint.resolve("todo.txt")).exists();
    // Baton's own clients read the failure from the status body
    JsonNode own = http.get("/savepoint-disposal/" + id).json();
    assertThat(own.get("operation").get("failure-cause").get("message").asText())
        .contains("holds no _metadata file");
    assertError(http.get("/v1/savepoint-disposal/feedbeef"), 404, "no savepoint disposal");
  }

  @Test
  void aCheckpointTriggerIsRefusedWithOneLineForWhatBatonCannotDo() {
    JobDetails job = RestFixtures.job(JobStatus.RUNNING, null);
    dispatcher.addJob(job);
    String path = "/v1/jobs/" + job.id().value() + "/checkpoints";

    assertError(
        http.post(path, "{\"checkpointType\":\"INCREMENTAL\"}"),
        400,
        "Baton takes full checkpoints");
    assertError(http.post(path, "{\"triggerId\":\"nothex\"}"), 400, "triggerId");
    assertError(
        http.post("/jobs/0123456789abcdef0123456789abcdef/checkpoints", "{}"), 404, "not found");
    assertError(
        http.get("/jobs/" + job.id().value() + "/checkpoints/0123456789abcdef0123456789abcdef"),
        404,
        "no checkpoint operation");

    // a JobManager that cannot checkpoint: Flink's client reads the failure as one line
    Response accepted = http.post(path, "{\"checkpointType\":\"FULL\"}");
    assertThat(accepted.status()).isEqualTo(202);
    String triggerId = accepted.json().get("request-id").asText();
    assertError(http.get(path + "/" + triggerId), 500, "checkpoints are not supported");
  }

  @Test
  void yarnCancelCancelsTheJob() {
    JobDetails job = RestFixtures.job(JobStatus.RUNNING, null);
    dispatcher.addJob(job);

    assertThat(http.get("/jobs/" + job.id().value() + "/yarn-cancel").status()).isEqualTo(202);

    assertThat(dispatcher.status(job.id())).isEqualTo(JobStatus.CANCELED);
    assertError(http.get("/jobs/nope/yarn-cancel"), 400, "job id");
  }

  private static void assertError(Response response, int status, String text) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.error()).contains(text);
  }
}
