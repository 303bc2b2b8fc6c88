package io.baton.coordinator.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.common.config.StorageUriForm;
import io.baton.common.ids.JobId;
import io.baton.coordinator.JobManagerTestCluster;
import io.baton.coordinator.program.TestJars;
import io.baton.coordinator.program.TestJobs;
import io.baton.coordinator.status.JobStatus;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Checkpoints and savepoints through the REST API and the CLI, on a JobManager with REST and fake
 * TaskManagers that write state.
 */
class CheckpointRestTest {
  @TempDir Path blobDir;
  @TempDir Path checkpointDir;
  @TempDir Path savepointDir;
  private JobManagerTestCluster cluster;
  private TestHttp http;

  @BeforeEach
  void start() throws Exception {
    cluster = JobManagerTestCluster.checkpointing(blobDir, checkpointDir, savepointDir);
    http = new TestHttp(cluster.jobManager.restPort());
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  /** Flink 1.19+'s manual checkpoint: triggered now, its id in the status and the history. */
  @Test
  void aCheckpointTriggeredThroughRestCompletesAndIsNamedInItsStatus() throws Exception {
    JobId id = cluster.runningWordCount();

    TestHttp.Response accepted =
        http.post("/v1/jobs/" + id + "/checkpoints", "{\"checkpointType\":\"CONFIGURED\"}");
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    String triggerId = accepted.json().get("request-id").asText();
    String status = "/v1/jobs/" + id + "/checkpoints/" + triggerId;
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> http.get(status).json().at("/status/id").asText().equals("COMPLETED"));

    long checkpointId = http.get(status).json().at("/operation/checkpointId").asLong();
    assertThat(checkpointId).isPositive();
    JsonNode history = http.get("/jobs/" + id + "/checkpoints").json().get("history");
    assertThat(history).anySatisfy(e -> assertThat(e.get("id").asLong()).isEqualTo(checkpointId));
  }

  /** The dashboard's checkpoint configuration tab reads the running job's settings. */
  @Test
  void checkpointConfigShowsTheJobsSettingsAsFlinksCheckpointConfigInfo() throws Exception {
    JobId id = cluster.runningWordCount();

    TestHttp.Response response = http.get("/jobs/" + id + "/checkpoints/config");
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    JsonNode config = response.json();
    assertThat(config.get("mode").asText()).isEqualTo("exactly_once");
    assertThat(config.get("interval").asLong()).isEqualTo(100);
    assertThat(config.get("timeout").asLong()).isPositive();
    assertThat(config.get("min_pause").asLong()).isZero();
    assertThat(config.get("max_concurrent").asInt()).isEqualTo(1);
    assertThat(config.get("externalization").get("enabled").asBoolean()).isTrue();
    assertThat(config.get("externalization").has("delete_on_cancellation")).isTrue();
    assertThat(config.get("checkpoint_storage").asText()).startsWith("file:");
    assertThat(config.get("num_retained").asInt()).isPositive();
    assertThat(config.has("tolerable_failed_checkpoints")).isTrue();
    assertThat(http.get("/v1/jobs/" + id + "/checkpoints/config").json()).isEqualTo(config);

    TestHttp.Response unknown =
        http.get("/jobs/0123456789abcdef0123456789abcdef/checkpoints/config");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.error()).contains("is not running");
  }

  /**
   * The dashboard's checkpoint detail: each vertex (by its hex id) with its acknowledged subtasks,
   * and, expanded, each subtask's acknowledgement, in Flink's shapes and with the checkpoint's
   * figures.
   */
  @Test
  void checkpointDetailsShowEachVertexAndItsSubtasks() throws Exception {
    JobId id = cluster.runningWordCount();
    awaitCompleted(id, 1);
    JsonNode completed = http.get("/jobs/" + id + "/checkpoints").json().at("/latest/completed");
    long checkpointId = completed.get("id").asLong();
    String details = "/jobs/" + id + "/checkpoints/details/" + checkpointId;

    JsonNode body = http.get(details).json();
    assertThat(http.get("/v1" + details).json()).isEqualTo(body);
    JsonNode tasks = body.get("tasks");
    String source = "00000000000000000000000000000001";
    String count = "00000000000000000000000000000002";
    String sink = "00000000000000000000000000000003";
    assertThat(fieldNames(tasks)).containsExactly(source, count, sink);
    long stateSize = 0;
    for (String vertex : List.of(source, count, sink)) {
      JsonNode task = tasks.get(vertex);
      assertThat(fieldNames(task))
          .containsExactly(
              "id",
              "status",
              "latest_ack_timestamp",
              "checkpointed_size",
              "state_size",
              "end_to_end_duration",
              "alignment_buffered",
              "processed_data",
              "persisted_data",
              "num_subtasks",
              "num_acknowledged_subtasks");
      assertThat(task.get("id").asLong()).isEqualTo(checkpointId);
      assertThat(task.get("status").asText()).isEqualTo("COMPLETED");
      assertThat(task.get("num_acknowledged_subtasks").asInt())
          .isEqualTo(task.get("num_subtasks").asInt())
          .isEqualTo(vertex.equals(source) ? 2 : 3);
      assertThat(task.get("latest_ack_timestamp").asLong())
          .isBetween(
              body.get("trigger_timestamp").asLong(), body.get("latest_ack_timestamp").asLong());
      assertThat(task.get("end_to_end_duration").asLong())
          .isEqualTo(
              task.get("latest_ack_timestamp").asLong() - body.get("trigger_timestamp").asLong());
      stateSize += task.get("state_size").asLong();
    }
    assertThat(stateSize).isEqualTo(body.get("state_size").asLong()).isPositive();

    JsonNode counts = http.get(details + "/subtasks/" + count).json();
    assertThat(http.get("/v1" + details + "/subtasks/2").json()).isEqualTo(counts);
    assertThat(counts.get("num_subtasks").asInt()).isEqualTo(3);
    JsonNode subtasks = counts.get("subtasks");
    assertThat(subtasks).extracting(s -> s.get("index").asInt()).containsExactly(0, 1, 2);
    assertThat(subtasks)
        .allSatisfy(s -> assertThat(s.get("status").asText()).isEqualTo("completed"));
    JsonNode first = subtasks.get(0);
    assertThat(fieldNames(first))
        .containsExactly(
            "index",
            "status",
            "ack_timestamp",
            "end_to_end_duration",
            "state_size",
            "checkpointed_size",
            "checkpoint",
            "alignment",
            "start_delay",
            "unaligned_checkpoint",
            "aborted");
    assertThat(first.get("end_to_end_duration").asLong())
        .isEqualTo(first.get("ack_timestamp").asLong() - body.get("trigger_timestamp").asLong());
    assertThat(first.at("/checkpoint/sync").asLong()).isZero();
    assertThat(first.at("/alignment/duration").asLong()).isZero();
    long subtaskSizes = 0;
    long maxSize = 0;
    for (JsonNode s : subtasks) {
      subtaskSizes += s.get("state_size").asLong();
      maxSize = Math.max(maxSize, s.get("state_size").asLong());
    }
    assertThat(subtaskSizes).isEqualTo(tasks.get(count).get("state_size").asLong());
    assertThat(counts.at("/summary/state_size/max").asLong()).isEqualTo(maxSize);
    assertThat(fieldNames(counts.get("summary")))
        .containsExactly(
            "checkpointed_size",
            "state_size",
            "end_to_end_duration",
            "checkpoint_duration",
            "alignment",
            "start_delay");
    assertThat(counts.at("/summary/alignment/duration/avg").asLong()).isZero();

    TestHttp.Response noVertex = http.get(details + "/subtasks/00000000000000000000000000000009");
    assertThat(noVertex.status()).isEqualTo(404);
    assertThat(noVertex.error()).contains("has no vertex");
    TestHttp.Response notKept =
        http.get("/jobs/" + id + "/checkpoints/details/999999/subtasks/" + count);
    assertThat(notKept.status()).isEqualTo(404);
    assertThat(notKept.error()).contains("checkpoint 999999", "not in its history");
  }

  @Test
  void checkpointsAreShownAsFlinkShowsThem() throws Exception {
    JobId id = cluster.runningWordCount();
    awaitCompleted(id, 2);

    TestHttp.Response response = http.get("/jobs/" + id + "/checkpoints");
    assertThat(response.status()).isEqualTo(200);
    JsonNode body = response.json();
    assertThat(fieldNames(body.get("counts")))
        .containsExactly("restored", "total", "in_progress", "completed", "failed");
    assertThat(fieldNames(body)).containsExactly("counts", "summary", "latest", "history");
    assertThat(body.at("/counts/failed").asLong()).isZero();
    assertThat(body.at("/counts/restored").asLong()).isZero();
    JsonNode completed = body.at("/latest/completed");
    assertThat(completed.get("status").asText()).isEqualTo("COMPLETED");
    assertThat(completed.get("is_savepoint").asBoolean()).isFalse();
    assertThat(completed.get("num_subtasks").asInt()).isEqualTo(8);
    assertThat(completed.get("num_acknowledged_subtasks").asInt()).isEqualTo(8);
    assertThat(completed.get("state_size").asLong()).isPositive();
    assertThat(completed.get("end_to_end_duration").asLong()).isNotNegative();
    assertThat(completed.get("latest_ack_timestamp").asLong())
        .isGreaterThanOrEqualTo(completed.get("trigger_timestamp").asLong());
    assertThat(completed.get("external_path").asText())
        .endsWith(id + "/chk-" + completed.get("id").asLong());
    assertThat(body.at("/latest/savepoint").isNull()).isTrue();
    assertThat(body.at("/latest/failed").isNull()).isTrue();
    assertThat(body.at("/latest/restored").isNull()).isTrue();
    assertThat(body.at("/summary/state_size/max").asLong()).isPositive();
    assertThat(body.get("history").isArray()).isTrue();
    assertThat(body.get("history").get(0).has("skipped_on_restore")).isTrue();
    assertThat(body.get("history").get(0).get("id").asLong())
        .isGreaterThanOrEqualTo(completed.get("id").asLong());

    assertThat(http.get("/jobs/" + JobId.random() + "/checkpoints").status()).isEqualTo(404);
    assertThat(http.get("/metrics").body())
        .contains("baton_checkpoints_completed_total{")
        .contains("baton_checkpoints_failed_total{")
        .contains("baton_checkpoint_restored_total{");
  }

  private void awaitCompleted(JobId id, long checkpoints) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                http.get("/jobs/" + id + "/checkpoints").json().at("/counts/completed").asLong()
                    >= checkpoints);
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void aSavepointIsTriggeredAndFollowedOverRest() throws Exception {
    JobId id = cluster.runningWordCount();
    Path target = savepointDir.resolve("by-rest");

    TestHttp.Response triggered =
        http.post(
            "/jobs/" + id + "/savepoints",
            "{\"target-directory\": \"" + target.toUri() + "\", \"cancel-job\": false}");

    assertThat(triggered.status()).isEqualTo(202);
    String triggerId = triggered.json().get("request-id").asText();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                http.get("/jobs/" + id + "/savepoints/" + triggerId)
                    .json()
                    .at("/status/id")
                    .asText()
                    .equals("COMPLETED"));
    String location =
        http.get("/jobs/" + id + "/savepoints/" + triggerId)
            .json()
            .at("/operation/location")
            .asText();
    assertThat(Path.of(URI.create(location)).getParent()).isEqualTo(target);
    assertThat(Path.of(URI.create(location)).resolve("_metadata")).exists();
    assertThat(cluster.details(id).status()).isEqualTo(JobStatus.RUNNING);
    assertThat(
            http.get("/jobs/" + id + "/checkpoints")
                .json()
                .at("/latest/savepoint/external_path")
                .asText())
        .isEqualTo(location);

    assertThat(http.get("/jobs/" + id + "/savepoints/nope").status()).isEqualTo(404);
    TestHttp.Response badBody = http.post("/jobs/" + id + "/savepoints", "{\"cancel-job\": 3}");
    assertThat(badBody.status()).isEqualTo(400);
    assertThat(badBody.error()).isEqualTo("cancel-job must be true or false, got 3");
  }

  @Test
  void aBadSavepointPathIsOneLineFromRest() throws Exception {
    Path jar = TestJars.jobJar(blobDir.resolve("job.jar"), TestJobs.Good.class);
    String jarId = http.upload("job.jar", Files.readAllBytes(jar)).json().get("filename").asText();
    TestHttp.Response run =
        http.post(
            "/jars/" + jarId + "/run",
            "{\"savepointPath\": \"" + savepointDir.resolve("missing").toUri() + "\"}");
    assertThat(run.status()).isEqualTo(400);
    assertThat(run.error())
        .isEqualTo(
            "not a savepoint or retained checkpoint: "
                + savepointDir.resolve("missing").toUri()
                + ": no _metadata file");
  }

  /**
   * A caller of the REST API chooses where the JobManager writes a savepoint and what it restores
   * from: relative and bare paths (resolved against the JobManager's working directory) and schemes
   * the cluster has not configured are refused with one line (the CLI's side: SavepointCliTest).
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = ';',
      quoteCharacter = '"',
      value = {
        "relative/dir; is not an absolute URI (" + StorageUriForm.EXAMPLES + ")",
        "/abs/path/without/scheme; is not an absolute URI (" + StorageUriForm.EXAMPLES + ")",
        "file://relative/dir; names host 'relative' in a file URI: write file:///path (three"
            + " slashes)",
      })
  void aSavepointTargetThatIsNoAbsoluteUriIsRefused(String target, String problem)
      throws Exception {
    JobId id = cluster.runningWordCount();

    TestHttp.Response triggered =
        http.post("/jobs/" + id + "/savepoints", "{\"target-directory\": \"" + target + "\"}");
    assertThat(triggered.status()).isEqualTo(400);
    assertThat(triggered.error()).isEqualTo("target-directory '" + target + "' " + problem);

    Path jar = TestJars.jobJar(blobDir.resolve("job.jar"), TestJobs.Good.class);

    String jarId = http.upload("job.jar", Files.readAllBytes(jar)).json().get("filename").asText();
    TestHttp.Response run =
        http.post("/jars/" + jarId + "/run", "{\"savepointPath\": \"" + target + "\"}");
    assertThat(run.status()).isEqualTo(400);
    assertThat(run.error()).isEqualTo("savepointPath '" + target + "' " + problem);
    assertThat(Path.of(target)).doesNotExist();
    assertThat(cluster.details(id).status()).isEqualTo(JobStatus.RUNNING);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"s3://bucket/savepoints, s3", "hdfs://namenode:8020/savepoints, hdfs"})
  void aSavepointTargetOnASchemeTheClusterHasNotConfiguredIsRefused(String target, String scheme)
      throws Exception {
    JobId id = cluster.runningWordCount();
    String line =
        "target-directory '"
            + target
            + "' is on "
            + scheme
            + "://, which this cluster has not configured (it can write to file://)";

    TestHttp.Response triggered =
        http.post("/jobs/" + id + "/savepoints", "{\"target-directory\": \"" + target + "\"}");
    assertThat(triggered.status()).isEqualTo(400);
    assertThat(triggered.error()).isEqualTo(line);
    assertThat(cluster.details(id).status()).isEqualTo(JobStatus.RUNNING);
  }
}
