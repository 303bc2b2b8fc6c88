package io.baton.coordinator.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.common.execution.ExecutionState;
import io.baton.common.ids.JobId;
import io.baton.coordinator.rest.TestHttp.Response;
import io.baton.coordinator.status.JobDetails;
import io.baton.coordinator.status.JobStatus;
import io.baton.coordinator.status.SubtaskDetails;
import io.baton.coordinator.status.VertexDetails;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A job's views as Flink's dashboard reads them: plan, exceptions, config, a vertex's pages. */
class JobViewRestTest {
  private static final String SOURCE = "00000000000000000000000000000001";
  private static final String SINK = "00000000000000000000000000000002";

  @TempDir Path dir;

  private final FakeDispatcher dispatcher = new FakeDispatcher();
  private RestServer server;
  private TestHttp http;

  @BeforeEach
  void startServer() {
    server = RestFixtures.server(RestFixtures.configuration(), dispatcher, dir, null);
    server.start();
    http = new TestHttp(server.port());
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void planNamesEveryVertexByItsHexIdWithItsInputs() {
    JobDetails job = twoVertexJob(JobStatus.RUNNING, null);
    dispatcher.addJob(job);

    JsonNode plan = http.get("/v1/jobs/" + job.id() + "/plan").json().get("plan");

    assertThat(plan.get("jid").asText()).isEqualTo(job.id().value());
    assertThat(plan.get("nodes"))
        .extracting(n -> n.get("id").asText())
        .containsExactly(SOURCE, SINK);
    JsonNode sink = plan.get("nodes").get(1);
    assertThat(sink.get("description").asText()).isEqualTo("sink");
    assertThat(sink.get("inputs").get(0).get("id").asText()).isEqualTo(SOURCE);
    assertThat(sink.get("inputs").get(0).get("ship_strategy").asText()).isEqualTo("HASH");
    assertThat(plan.get("nodes").get(0).has("inputs")).isFalse();
    // the job's details carry the same plan, and its vertices the same ids
    JsonNode details = http.get("/jobs/" + job.id()).json();
    assertThat(details.get("plan")).isEqualTo(plan);
    assertThat(details.get("vertices").get(1).get("maxParallelism").asInt()).isEqualTo(128);
    assertThat(details.get("timestamps").get("RUNNING").asLong()).isEqualTo(job.startTime());
    assertThat(details.get("timestamps").get("FINISHED").asLong()).isZero();
  }

  @Test
  void exceptionsShowTheFailureAsFlinksExceptionHistory() {
    JobDetails failed = twoVertexJob(JobStatus.FAILED, "java.lang.IllegalStateException: boom");
    JobDetails running = twoVertexJob(JobStatus.RUNNING, null);
    dispatcher.addJob(failed);
    dispatcher.addJob(running);

    JsonNode body = http.get("/jobs/" + failed.id() + "/exceptions?maxExceptions=10").json();
    JsonNode entry = body.get("exceptionHistory").get("entries").get(0);
    assertThat(entry.get("exceptionName").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(entry.get("stacktrace").asText()).isEqualTo("java.lang.IllegalStateException: boom");
    assertThat(entry.get("timestamp").asLong()).isEqualTo(failed.endTime());
    assertThat(body.get("exceptionHistory").get("truncated").asBoolean()).isFalse();

    assertThat(
            http.get("/jobs/" + running.id() + "/exceptions")
                .json()
                .get("exceptionHistory")
                .get("entries"))
        .isEmpty();
    assertError(
        http.get("/jobs/" + failed.id() + "/exceptions?maxExceptions=-1"), 400, "maxExceptions");
  }

  @Test
  void aVertexListsItsSubtasksAndAnswersItsOtherPages() {
    JobDetails job = twoVertexJob(JobStatus.RUNNING, null);
    dispatcher.addJob(job);
    String base = "/jobs/" + job.id() + "/vertices/";

    JsonNode vertex = http.get(base + SINK).json();
    assertThat(vertex.get("id").asText()).isEqualTo(SINK);
    assertThat(vertex.get("subtasks")).hasSize(2);
    JsonNode subtask = vertex.get("subtasks").get(0);
    assertThat(subtask.get("status").asText()).isEqualTo("RUNNING");
    assertThat(subtask.get("endpoint").asText()).isEqualTo("10.0.0.5");
    assertThat(subtask.get("taskmanager-id").asText()).isEqualTo("tm-1");
    assertThat(subtask.get("metrics").get("read-records").asLong()).isEqualTo(50);
    // Baton's own tools may keep naming the vertex by its number
    assertThat(http.get(base + "2").json().get("id").asText()).isEqualTo(SINK);

    JsonNode metrics = http.get(base + SINK + "/metrics?get=1.numRecordsIn").json();
    assertThat(metrics.get(0).get("value").asText()).isEqualTo("50");
    // aggregated over the subtasks, as the dashboard's job graph asks for them
    assertThat(http.get(base + SINK + "/subtasks/metrics").json())
        .extracting(m -> m.get("id").asText())
        .containsExactly("numRecordsIn", "numRecordsOut");
    JsonNode aggregated =
        http.get(base + SINK + "/subtasks/metrics?get=numRecordsOut,unknown&agg=max,sum,bogus")
            .json();
    assertThat(aggregated).hasSize(1);
    assertThat(RestFixtures.fieldNames(aggregated.get(0))).containsExactly("id", "max", "sum");
    assertThat(aggregated.get(0).get("sum").asDouble()).isEqualTo(200.0);
    JsonNode all = http.get("/v1" + base + SINK + "/subtasks/metrics?get=numRecordsIn").json();
    assertThat(all.get(0).get("avg").asDouble()).isEqualTo(50.0);
    assertThat(all.get(0).get("skew").asDouble()).isZero();
    assertThat(http.get(base + SINK + "/backpressure").json().get("status").asText())
        .isEqualTo("deprecated");
    assertThat(http.get(base + SINK + "/watermarks").json()).isEmpty();
    assertThat(http.get(base + SINK + "/accumulators").json().get("id").asText()).isEqualTo(SINK);
    JsonNode accumulators = http.get(base + SINK + "/subtasks/accumulators").json();
    assertThat(accumulators.get("parallelism").asInt()).isEqualTo(2);
    assertThat(accumulators.get("subtasks")).hasSize(2);
    assertThat(accumulators.get("subtasks").get(1).get("taskmanager-id").asText())
        .isEqualTo("tm-1");
    assertThat(accumulators.get("subtasks").get(1).get("user-accumulators")).isEmpty();
    // both subtasks run on tm-1: one row, their records summed
    JsonNode byTaskManager = http.get(base + SINK + "/taskmanagers").json();
    assertThat(byTaskManager.get("id").asText()).isEqualTo(SINK);
    assertThat(byTaskManager.get("taskmanagers")).hasSize(1);
    JsonNode tm = byTaskManager.get("taskmanagers").get(0);
    assertThat(tm.get("taskmanager-id").asText()).isEqualTo("tm-1");
    assertThat(tm.get("endpoint").asText()).isEqualTo("10.0.0.5");
    assertThat(tm.get("status").asText()).isEqualTo("RUNNING");
    assertThat(tm.get("status-counts").get("RUNNING").asInt()).isEqualTo(2);
    assertThat(tm.get("metrics").get("read-records").asLong()).isEqualTo(100);
    JsonNode requirements = http.get("/jobs/" + job.id() + "/resource-requirements").json();
    assertThat(RestFixtures.fieldNames(requirements)).containsExactly(SOURCE, SINK);
    assertThat(requirements.get(SINK).get("parallelism").get("upperBound").asInt()).isEqualTo(2);
    // the job's JobManager tab: this JobManager's configuration and JVM
    assertThat(http.get("/v1/jobs/" + job.id() + "/jobmanager/config").json())
        .anySatisfy(e -> assertThat(e.get("key").asText()).isEqualTo("rest.port"));
    assertThat(http.get("/jobs/" + job.id() + "/jobmanager/environment").json().has("jvm"))
        .isTrue();
    assertError(
        http.get("/jobs/0123456789abcdef0123456789abcdef/jobmanager/config"), 404, "not found");
    assertThat(
            http.get("/jobs/" + job.id() + "/config")
                .json()
                .get("execution-config")
                .get("job-parallelism")
                .asInt())
        .isEqualTo(2);
    assertThat(http.get("/jobs/" + job.id() + "/accumulators").json().get("job-accumulators"))
        .isEmpty();

    assertError(http.get(base + "../x"), 404, "no such endpoint");
    assertError(http.get(base + "zz"), 400, "invalid vertex id 'zz'");
    assertError(http.get(base + "00000000000000000000000000000009"), 404, "has no vertex");
    assertError(http.get("/jobs/" + JobId.random() + "/plan"), 404, "not found");
  }

  @Test
  void checkpointDetailsIdsAreValidated() {
    JobDetails job = twoVertexJob(JobStatus.RUNNING, null);
    dispatcher.addJob(job);

    assertError(
        http.get("/jobs/" + job.id() + "/checkpoints/details/abc"), 400, "invalid checkpoint id");
    assertError(
        http.get("/jobs/" + job.id() + "/checkpoints/details/7"), 404, "not in its history");
  }

  private static void assertError(Response response, int status, String text) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.error()).contains(text);
  }

  /** "source" (1) feeds "sink" (2) by key, two subtasks each. */
  private static JobDetails twoVertexJob(JobStatus status, String failureCause) {
    long start = RestFixtures.NOW - 60_000;
    List<SubtaskDetails> subtasks =
        List.of(
            new SubtaskDetails(0, ExecutionState.RUNNING, 0, "tm-1", "10.0.0.5", 50, 100),
            new SubtaskDetails(1, ExecutionState.RUNNING, 0, "tm-1", "10.0.0.5", 50, 100));
    Map<ExecutionState, Integer> counts = Map.of(ExecutionState.RUNNING, 2);
    VertexDetails source =
        new VertexDetails(
            1,
            "source",
            2,
            ExecutionState.RUNNING,
            start,
            counts,
            0,
            200,
            0,
            4000,
            subtasks,
            128,
            List.of());
    VertexDetails sink =
        new VertexDetails(
            2,
            "sink",
            2,
            ExecutionState.RUNNING,
            start,
            counts,
            100,
            0,
            3000,
            0,
            subtasks,
            128,
            List.of(new VertexDetails.Input(1, "HASH")));
    return new JobDetails(
        JobId.random(),
        "two",
        status,
        start,
        status.isGloballyTerminal() ? RestFixtures.NOW : -1,
        60_000,
        Map.of(ExecutionState.RUNNING, 4),
        List.of(source, sink),
        failureCause,
        0,
        start);
  }
}
