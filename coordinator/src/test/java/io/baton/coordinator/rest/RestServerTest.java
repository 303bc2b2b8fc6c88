package io.baton.coordinator.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.common.config.Configuration;
import io.baton.common.config.RestOptions;
import io.baton.common.ids.JobId;
import io.baton.coordinator.failover.FailureCauses;
import io.baton.coordinator.rest.TestHttp.Response;
import io.baton.coordinator.status.JobDetails;
import io.baton.coordinator.status.JobStatus;
import io.baton.coordinator.status.TaskManagerDetails;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestServerTest {
  private static final long NOW = RestFixtures.NOW;

  @TempDir Path dir;

  private final FakeDispatcher dispatcher = new FakeDispatcher();
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final List<RestServer> servers = new ArrayList<>();
  private TestHttp http;

  @BeforeEach
  void startServer() throws Exception {
    http = new TestHttp(start(configuration(), Duration.ofSeconds(10)).port());
  }

  @AfterEach
  void stopServers() {
    servers.forEach(RestServer::close);
  }

  @Test
  void overviewHasFlinksFields() {
    dispatcher.addTaskManager(taskManager("tm-1", 4, 1));
    dispatcher.addTaskManager(taskManager("tm-2", 4, 4));
    dispatcher.addJob(job(JobStatus.RUNNING, null));
    dispatcher.addJob(job(JobStatus.FAILED, "java.lang.RuntimeException: boom"));

    Response response = http.get("/overview");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.contentType()).startsWith("application/json");
    JsonNode body = response.json();
    assertThat(fieldNames(body))
        .containsExactlyInAnyOrder(
            "taskmanagers",
            "slots-total",
            "slots-available",
            "jobs-running",
            "jobs-finished",
            "jobs-cancelled",
            "jobs-failed",
            "flink-version",
            "flink-commit",
            "baton-version");
    assertThat(body.get("flink-version").asText()).isEqualTo("1.20.1");
    assertThat(body.get("taskmanagers").asInt()).isEqualTo(2);
    assertThat(body.get("slots-total").asInt()).isEqualTo(8);
    assertThat(body.get("slots-available").asInt()).isEqualTo(5);
    assertThat(body.get("jobs-running").asInt()).isEqualTo(1);
    assertThat(body.get("jobs-failed").asInt()).isEqualTo(1);
  }

  @Test
  void jobsOverviewListsEveryJobWithLowerCaseTaskCounts() {
    JobDetails job = job(JobStatus.RUNNING, null);
    dispatcher.addJob(job);

    JsonNode jobs = http.get("/jobs/overview").json().get("jobs");

    assertThat(jobs).hasSize(1);
    JsonNode j = jobs.get(0);
    assertThat(fieldNames(j))
        .containsExactlyInAnyOrder(
            "jid",
            "name",
            "state",
            "start-time",
            "end-time",
            "duration",
            "last-modification",
            "tasks");
    assertThat(j.get("jid").asText()).isEqualTo(job.id().value());
    assertThat(j.get("name").asText()).isEqualTo("ledger");
    assertThat(j.get("state").asText()).isEqualTo("RUNNING");
    assertThat(j.get("end-time").asLong()).isEqualTo(-1);
    assertThat(fieldNames(j.get("tasks")))
        .containsExactlyInAnyOrder(
            "total",
            "created",
            "scheduled",
            "deploying",
            "running",
            "finished",
            "canceling",
            "canceled",
            "failed",
            "reconciling",
            "initializing");
    assertThat(j.get("tasks").get("total").asInt()).isEqualTo(3);
    assertThat(j.get("tasks").get("running").asInt()).isEqualTo(2);
    assertThat(j.get("tasks").get("finished").asInt()).isEqualTo(1);
  }

  @Test
  void jobsListsIdsAndStatuses() {
    JobDetails job = job(JobStatus.FINISHED, null);
    dispatcher.addJob(job);

    JsonNode body = http.get("/jobs").json();

    assertThat(body.get("jobs")).hasSize(1);
    assertThat(fieldNames(body.get("jobs").get(0))).containsExactlyInAnyOrder("id", "status");
    assertThat(body.get("jobs").get(0).get("id").asText()).isEqualTo(job.id().value());
    assertThat(body.get("jobs").get(0).get("status").asText()).isEqualTo("FINISHED");
  }

  @Test
  void jobDetailsShowVerticesWithTheirTasksAndMetrics() {
    JobDetails job = job(JobStatus.RUNNING, null);
    dispatcher.addJob(job);

    JsonNode body = http.get("/jobs/" + job.id()).json();

    assertThat(fieldNames(body))
        .containsExactlyInAnyOrder(
            "jid",
            "name",
            "isStoppable",
            "job-type",
            "state",
            "start-time",
            "end-time",
            "duration",
            "now",
            "last-modification",
            "maxParallelism",
            "timestamps",
            "plan",
            "pending-operators",
            "restarts",
            "vertices",
            "status-counts",
            "recoveries",
            "restoredFrom",
            "reconciliations",
            "events");
    assertThat(body.get("now").asLong()).isEqualTo(NOW);
    assertThat(body.get("recoveries").asInt()).isZero();
    assertThat(body.get("reconciliations").asInt()).isZero();
    assertThat(body.get("events")).isEmpty();
    assertThat(body.get("restoredFrom").isNull()).isTrue();
    assertThat(body.get("status-counts").get("RUNNING").asInt()).isEqualTo(2);
    assertThat(body.get("status-counts").get("INITIALIZING").asInt()).isZero();
    JsonNode vertex = body.get("vertices").get(0);
    assertThat(fieldNames(vertex))
        .containsExactlyInAnyOrder(
            "id",
            "baton-index",
            "slotSharingGroupId",
            "name",
            "maxParallelism",
            "parallelism",
            "status",
            "start-time",
            "end-time",
            "duration",
            "tasks",
            "metrics");
    assertThat(vertex.get("id").asText()).isEqualTo("00000000000000000000000000000001");
    assertThat(vertex.get("baton-index").asInt()).isEqualTo(1);
    assertThat(vertex.get("end-time").asLong()).isEqualTo(-1);
    assertThat(vertex.get("duration").asLong()).isEqualTo(60_000);
    assertThat(vertex.get("name").asText()).isEqualTo("source -> sum");
    assertThat(vertex.get("status").asText()).isEqualTo("RUNNING");
    assertThat(vertex.get("tasks").get("RUNNING").asInt()).isEqualTo(2);
    assertThat(fieldNames(vertex.get("metrics")))
        .contains(
            "read-records",
            "read-records-complete",
            "write-records",
            "read-bytes",
            "write-bytes",
            "accumulated-busy-time");
    assertThat(vertex.get("metrics").get("read-records").asLong()).isEqualTo(100);
    assertThat(vertex.get("metrics").get("write-bytes").asLong()).isEqualTo(4000);
  }

  @Test
  void failedJobDetailsCarryTheFailureCause() {
    JobDetails job = job(JobStatus.FAILED, "java.lang.RuntimeException: boom");
    dispatcher.addJob(job);

    JsonNode body = http.get("/jobs/" + job.id()).json();

    assertThat(body.get("state").asText()).isEqualTo("FAILED");
    assertThat(body.get("failure-cause").asText()).isEqualTo("java.lang.RuntimeException: boom");
  }

  @Test
  void aFailureCauseWithAStackTraceIsShownAsItsMessageChainInOneLine() {
    String withFrames =
        FailureCauses.describe(
            new IllegalStateException(
                "could not choose a checkpoint", new java.io.IOException("disk gone")));
    assertThat(withFrames).as("what the job keeps for its log").contains("\tat ");
    JobDetails job = job(JobStatus.FAILED, withFrames);
    dispatcher.addJob(job);

    JsonNode body = http.get("/jobs/" + job.id()).json();

    assertThat(body.get("failure-cause").asText())
        .isEqualTo(
            "java.lang.IllegalStateException: could not choose a checkpoint; caused by"
                + " java.io.IOException: disk gone");
  }

  @Test
  void aFailedSavepointOperationCarriesTheMessageChainNotFrames() {
    JobDetails job = job(JobStatus.RUNNING, null);
    dispatcher.addJob(job);
    dispatcher.savepointFailure =
        new java.util.concurrent.CompletionException(
            new IllegalStateException(
                "savepoint 4 failed",
                new java.io.IOException("no space left\n\tat x.Y.write(Y.java:1)")));
    String triggerId =
        http.post("/jobs/" + job.id() + "/savepoints", "{}").json().get("request-id").asText();

    JsonNode failure =
        http.get("/jobs/" + job.id() + "/savepoints/" + triggerId)
            .json()
            .at("/operation/failure-cause");

    String chain =
        "java.lang.IllegalStateException: savepoint 4 failed; caused by java.io.IOException: no"
            + " space left";
    assertThat(failure.get("class").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(failure.get("message").asText()).isEqualTo(chain);
    assertThat(failure.get("stack-trace").asText()).isEqualTo(chain);
  }

  @Test
  void unknownAndInvalidJobIdsAreErrors() {
    JobId unknown = JobId.random();

    Response notFound = http.get("/jobs/" + unknown);
    Response invalid = http.get("/jobs/not-an-id");

    assertThat(notFound.status()).isEqualTo(404);
    assertThat(notFound.error()).isEqualTo("job " + unknown + " not found");
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.error()).isEqualTo("invalid job id 'not-an-id': expected 32 hex digits");
  }

  @Test
  void cancelsAJob() {
    JobDetails job = job(JobStatus.RUNNING, null);
    dispatcher.addJob(job);

    Response response = http.patch("/jobs/" + job.id() + "?mode=cancel");

    assertThat(response.status()).isEqualTo(202);
    assertThat(response.body()).isEqualTo("{}");
    assertThat(dispatcher.status(job.id())).isEqualTo(JobStatus.CANCELED);
  }

  @Test
  void cancelErrors() {
    JobDetails job = job(JobStatus.RUNNING, null);
    dispatcher.addJob(job);
    JobId unknown = JobId.random();

    Response notFound = http.patch("/jobs/" + unknown + "?mode=cancel");
    Response invalid = http.patch("/jobs/xyz?mode=cancel");
    Response noMode = http.patch("/jobs/" + job.id());
    Response otherMode = http.patch("/jobs/" + job.id() + "?mode=stop");

    assertThat(notFound.status()).isEqualTo(404);
    assertThat(notFound.error()).isEqualTo("job " + unknown + " not found");
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.error()).isEqualTo("invalid job id 'xyz': expected 32 hex digits");
    assertThat(noMode.status()).isEqualTo(400);
    assertThat(noMode.error()).isEqualTo("PATCH /jobs/" + job.id() + " needs ?mode=cancel");
    assertThat(otherMode.status()).isEqualTo(400);
    assertThat(otherMode.error()).contains("unsupported mode 'stop'");
    assertThat(dispatcher.status(job.id())).isEqualTo(JobStatus.RUNNING);
  }

  @Test
  void taskManagersHaveFlinksFields() {
    dispatcher.addTaskManager(taskManager("tm-1", 4, 1));

    JsonNode tms = http.get("/taskmanagers").json().get("taskmanagers");

    assertThat(tms).hasSize(1);
    JsonNode tm = tms.get(0);
    assertThat(fieldNames(tm))
        .containsExactlyInAnyOrder(
            "id",
            "path",
            "dataPort",
            "timeSinceLastHeartbeat",
            "slotsNumber",
            "freeSlots",
            "hardware",
            "memory");
    assertThat(tm.get("id").asText()).isEqualTo("tm-1");
    assertThat(tm.get("path").asText()).isEqualTo("10.0.0.5:6124");
    assertThat(tm.get("dataPort").asInt()).isEqualTo(6124);
    assertThat(tm.get("slotsNumber").asInt()).isEqualTo(4);
    assertThat(tm.get("freeSlots").asInt()).isEqualTo(1);
    assertThat(fieldNames(tm.get("hardware")))
        .containsExactlyInAnyOrder("cpuCores", "physicalMemory", "freeMemory", "managedMemory");
    assertThat(tm.get("hardware").get("freeMemory").asLong()).isEqualTo(768);
    assertThat(tm.get("memory").get("heapMax").asLong()).isEqualTo(1024);
  }

  @Test
  void unknownPathsAreJsonErrors() {
    Response response = http.get("/nope");

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.error()).isEqualTo("no such endpoint: GET /nope");
  }

  @Test
  void metricsAreScrapedInPrometheusTextFormat() {
    registry.counter("baton.test.requests").increment(3);

    Response response = http.get("/metrics");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    assertThat(response.body()).contains("baton_test_requests_total 3.0");
  }

  @Test
  void requestsAreTimedByRouteTemplate() {
    JobId unknown = JobId.random();
    http.get("/jobs/" + unknown);
    http.get("/no/such/path");

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(http.get("/metrics").body())
                    .contains(
                        "baton_rest_requests_seconds_count{method=\"GET\",status=\"404\",uri=\"/jobs/{id}\"} 1")
                    .contains(
                        "baton_rest_requests_seconds_count{method=\"GET\",status=\"404\",uri=\"other\"} 1")
                    .doesNotContain(unknown.value()));
  }

  @Test
  void configNamesVersionAndTimeZone() {
    JsonNode body = http.get("/config").json();

    assertThat(fieldNames(body))
        .containsExactlyInAnyOrder(
            "refresh-interval",
            "timezone-name",
            "timezone-offset",
            "flink-version",
            "flink-revision",
            "features",
            "baton-version");
    assertThat(body.get("timezone-offset").asLong()).isZero();
    // Flink's dashboard shows its buttons by these
    assertThat(body.get("flink-version").asText()).isEqualTo("1.20.1");
    JsonNode features = body.get("features");
    assertThat(features.get("web-submit").asBoolean()).isTrue();
    assertThat(features.get("web-cancel").asBoolean()).isTrue();
    assertThat(features.get("web-rescale").asBoolean()).isFalse();
    assertThat(features.get("web-history").asBoolean()).isFalse();
  }

  @Test
  void aDispatcherThatDoesNotAnswerIsA504() {
    TestHttp impatient = new TestHttp(start(configuration(), Duration.ofMillis(200)).port());
    dispatcher.becomeUnresponsive();

    Response response = impatient.get("/overview");

    assertThat(response.status()).isEqualTo(504);
    assertThat(response.error())
        .isEqualTo("the JobManager did not answer GET /overview within 200 ms");
  }

  @Test
  void aTakenPortStopsStartUp() {
    int taken = servers.get(0).port();
    Configuration conf = configuration().set(RestOptions.PORT, taken);
    RestServer second =
        RestFixtures.server(
            conf, dispatcher, registry, dir.resolve("blobs-second"), null, Duration.ofSeconds(1));

    assertThatThrownBy(second::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("rest.port " + taken + " is already in use");
  }

  private RestServer start(Configuration conf, Duration timeout) {
    RestServer server =
        RestFixtures.server(
            conf, dispatcher, registry, dir.resolve("blobs-" + servers.size()), null, timeout);
    servers.add(server);
    server.start();
    return server;
  }

  private Configuration configuration() {
    return RestFixtures.configuration();
  }

  private static List<String> fieldNames(JsonNode node) {
    return RestFixtures.fieldNames(node);
  }

  private static TaskManagerDetails taskManager(String id, int slots, int free) {
    return RestFixtures.taskManager(id, slots, free);
  }

  private static JobDetails job(JobStatus status, String failureCause) {
    return RestFixtures.job(status, failureCause);
  }
}
