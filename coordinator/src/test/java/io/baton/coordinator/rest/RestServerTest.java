package io.baton.coordinator.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.common.config.Configuration;
import io.baton.common.config.CoreOptions;
import io.baton.common.config.JobManagerOptions;
import io.baton.common.config.RestOptions;
import io.baton.common.execution.ExecutionState;
import io.baton.common.ids.JobId;
import io.baton.coordinator.blob.LocalBlobStore;
import io.baton.coordinator.failover.FailureCauses;
import io.baton.coordinator.jobmaster.JobSubmission;
import io.baton.coordinator.program.ExtractedProgram;
import io.baton.coordinator.program.TestJars;
import io.baton.coordinator.program.TestJobs;
import io.baton.coordinator.rest.TestHttp.Response;
import io.baton.coordinator.status.JobDetails;
import io.baton.coordinator.status.JobStatus;
import io.baton.coordinator.status.SubtaskDetails;
import io.baton.coordinator.status.TaskManagerDetails;
import io.baton.coordinator.status.VertexDetails;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestServerTest {
  private static final long NOW = 1_700_000_060_000L;

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
            "baton-version");
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
            "state",
            "start-time",
            "end-time",
            "duration",
            "now",
            "last-modification",
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
            "id", "name", "parallelism", "status", "start-time", "tasks", "metrics");
    assertThat(vertex.get("name").asText()).isEqualTo("source -> sum");
    assertThat(vertex.get("status").asText()).isEqualTo("RUNNING");
    assertThat(vertex.get("tasks").get("RUNNING").asInt()).isEqualTo(2);
    assertThat(fieldNames(vertex.get("metrics")))
        .containsExactlyInAnyOrder("read-records", "write-records", "read-bytes", "write-bytes");
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
  void uploadsListsRunsAndDeletesAJar() throws Exception {
    byte[] jar = Files.readAllBytes(TestJars.jobJar(dir.resolve("job.jar"), TestJobs.Good.class));

    Response upload = http.upload("job.jar", jar);
    assertThat(upload.status()).isEqualTo(200);
    assertThat(fieldNames(upload.json())).containsExactlyInAnyOrder("filename", "status");
    assertThat(upload.json().get("status").asText()).isEqualTo("success");
    String jarId = upload.json().get("filename").asText();
    assertThat(jarId).matches("[0-9a-f]{64}_job\\.jar");

    JsonNode files = http.get("/jars").json().get("files");
    assertThat(files).hasSize(1);
    assertThat(fieldNames(files.get(0))).containsExactlyInAnyOrder("id", "name", "uploaded");
    assertThat(files.get(0).get("id").asText()).isEqualTo(jarId);
    assertThat(files.get(0).get("name").asText()).isEqualTo("job.jar");

    Response run =
        http.post(
            "/jars/" + jarId + "/run",
            "{\"programArgsList\":[\"word\",\"count\"],\"parallelism\":2}");
    assertThat(run.status()).isEqualTo(200);
    assertThat(fieldNames(run.json())).containsExactly("jobid");
    String jobId = run.json().get("jobid").asText();
    assertThat(dispatcher.submissions).hasSize(1);
    JobSubmission submission = dispatcher.submissions.get(0);
    assertThat(submission.graph().name()).isEqualTo("word count");
    assertThat(submission.blobKey()).contains(jarId.substring(0, 64));
    assertThat(submission.savepointPath()).isEmpty();
    // the dispatcher is handed the program's class loader, to close when the job ends
    assertThat(dispatcher.userCodes)
        .singleElement()
        .isInstanceOfSatisfying(
            ExtractedProgram.class,
            program -> assertThat(program.graph().name()).isEqualTo("word count"));
    assertThat(http.get("/jobs/" + jobId).json().get("name").asText()).isEqualTo("word count");

    assertThat(http.delete("/jars/" + jarId).status()).isEqualTo(200);
    assertThat(http.get("/jars").json().get("files")).isEmpty();
    assertThat(http.delete("/jars/" + jarId).status()).isEqualTo(404);
  }

  @Test
  void runTakesItsParametersFromTheQueryToo() throws Exception {
    String jarId = uploadJobJar(null);

    Response run =
        http.post(
            "/jars/"
                + jarId
                + "/run?entryClass="
                + TestJobs.Good.class.getName()
                + "&programArgs=from%20%22the%20query%22",
            "");

    assertThat(run.status()).as(run.body()).isEqualTo(200);
    assertThat(dispatcher.submissions.get(0).graph().name()).isEqualTo("from the query");
  }

  @Test
  void uploadOfSomethingElseThanAJarIsRejected() {
    Response response = http.upload("notes.txt", "just text".getBytes());

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.error()).isEqualTo("not a jar file: notes.txt");
    assertThat(http.get("/jars").json().get("files")).isEmpty();
  }

  @Test
  void runErrorsAreOneLineEach() throws Exception {
    String noMainClass = uploadJobJar(null);
    String cyclic = uploadJobJarWithMain(TestJobs.Cyclic.class, "cyclic.jar");
    String wide = uploadJobJarWithMain(TestJobs.Wide.class, "wide.jar");

    Response noMain = http.post("/jars/" + noMainClass + "/run", "{}");
    Response cycle = http.post("/jars/" + cyclic + "/run", "{}");
    Response tooWide = http.post("/jars/" + wide + "/run", "{}");
    Response unknownJar = http.post("/jars/" + "ab".repeat(32) + "_x.jar/run", "{}");
    Response malformed = http.post("/jars/" + cyclic + "/run", "{\"parallelism\": }");
    Response badParallelism = http.post("/jars/" + cyclic + "/run", "{\"parallelism\": \"x\"}");

    assertThat(noMain.status()).isEqualTo(400);
    assertThat(noMain.error())
        .isEqualTo(
            "no main class: job.jar has no Main-Class in its manifest and none was given with"
                + " -c/entryClass");
    assertThat(cycle.status()).isEqualTo(400);
    assertThat(cycle.error()).matches("job 'cyclic' has a cycle through '[ab]'");
    assertThat(tooWide.status()).isEqualTo(400);
    assertThat(tooWide.error())
        .isEqualTo(
            "operator 'wide source' asks for parallelism 2000, more than parallelism.max (1024)");
    assertThat(unknownJar.status()).isEqualTo(404);
    assertThat(unknownJar.error()).isEqualTo("jar " + "ab".repeat(32) + "_x.jar not found");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.error()).startsWith("malformed JSON body at line 1, column ");
    assertThat(malformed.error()).doesNotContain("\n");
    assertThat(badParallelism.status()).isEqualTo(400);
    assertThat(badParallelism.error()).isEqualTo("parallelism must be an integer, got 'x'");
    assertThat(dispatcher.submissions).isEmpty();
  }

  @Test
  void aMainThatExitsSpinsOrFillsItsHeapIsRefusedAndTheJobManagerRunsOn() throws Exception {
    http =
        new TestHttp(
            start(
                    configuration()
                        .set(JobManagerOptions.PROGRAM_TIMEOUT, Duration.ofSeconds(2))
                        .set(JobManagerOptions.PROGRAM_HEAP_MB, 32),
                    Duration.ofSeconds(10))
                .port());
    String exiting = uploadJobJarWithMain(TestJobs.Exiting.class, "exiting.jar");
    String spinning = uploadJobJarWithMain(TestJobs.Spinning.class, "spinning.jar");
    String hungry = uploadJobJarWithMain(TestJobs.Hungry.class, "hungry.jar");
    String good = uploadJobJarWithMain(TestJobs.Good.class, "good.jar");

    // run in this JVM, the first would have ended the test run, the second would spin on in it
    Response exit = http.post("/jars/" + exiting + "/run", "{}");
    Response spin = http.post("/jars/" + spinning + "/run", "{}");
    Response oom = http.post("/jars/" + hungry + "/run", "{}");

    assertThat(exit.status()).isEqualTo(400);
    assertThat(exit.error())
        .isEqualTo(
            "main() of "
                + TestJobs.Exiting.class.getName()
                + " called System.exit(3) before handing over a job graph");
    assertThat(spin.status()).isEqualTo(400);
    assertThat(spin.error())
        .isEqualTo(
            "main() of "
                + TestJobs.Spinning.class.getName()
                + " did not build a job within 2 s (jobmanager.program.timeout)");
    assertThat(oom.status()).isEqualTo(400);
    assertThat(oom.error())
        .isEqualTo(
            "main() of "
                + TestJobs.Hungry.class.getName()
                + " ran out of memory (jobmanager.program.heap.mb: 32 MiB)");
    assertThat(dispatcher.submissions).isEmpty();

    Response run = http.post("/jars/" + good + "/run", "{}");
    assertThat(run.status()).as(run.body()).isEqualTo(200);
    assertThat(dispatcher.submissions)
        .singleElement()
        .satisfies(s -> assertThat(s.graph().name()).isEqualTo("good job"));
    assertThat(http.get("/overview").status()).isEqualTo(200);
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
            "refresh-interval", "timezone-name", "timezone-offset", "baton-version");
    assertThat(body.get("timezone-offset").asLong()).isZero();
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
        new RestServer(
            conf, dispatcher, blobStore(), registry, Clock.systemUTC(), Duration.ofSeconds(1));

    assertThatThrownBy(second::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("rest.port " + taken + " is already in use");
  }

  @Test
  void aTooLargeUploadIsA413() throws Exception {
    TestHttp small =
        new TestHttp(
            start(configuration().set(RestOptions.MAX_UPLOAD_BYTES, 1024L), Duration.ofSeconds(5))
                .port());

    Response response = small.upload("big.jar", new byte[8 * 1024]);
    Response huge = small.upload("huge.jar", new byte[200 * 1024]);

    assertThat(huge.status()).isEqualTo(413);
    assertThat(huge.error())
        .matches("the upload of \\d+ bytes is larger than rest.upload.max-bytes \\(1024 bytes\\)");

    assertThat(response.status()).isEqualTo(413);
    assertThat(response.error())
        .isEqualTo("the uploaded jar is larger than rest.upload.max-bytes (1024 bytes)");
  }

  private RestServer start(Configuration conf, Duration timeout) {
    RestServer server =
        new RestServer(
            conf,
            dispatcher,
            blobStore(),
            registry,
            Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC),
            timeout);
    servers.add(server);
    server.start();
    return server;
  }

  private LocalBlobStore blobStore() {
    try {
      return new LocalBlobStore(Files.createTempDirectory(dir, "blobs"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private Configuration configuration() {
    return new Configuration()
        .set(RestOptions.BIND_ADDRESS, "127.0.0.1")
        .set(RestOptions.PORT, 0)
        .set(CoreOptions.MAX_PARALLELISM, 1024);
  }

  private String uploadJobJar(Class<?> mainClass) throws Exception {
    return uploadJobJarWithMain(mainClass, "job.jar");
  }

  private String uploadJobJarWithMain(Class<?> mainClass, String name) throws Exception {
    Path jar = TestJars.jobJar(Files.createTempDirectory(dir, "jar").resolve(name), mainClass);
    Response upload = http.upload(name, Files.readAllBytes(jar));
    assertThat(upload.status()).as(upload.body()).isEqualTo(200);
    return upload.json().get("filename").asText();
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static TaskManagerDetails taskManager(String id, int slots, int free) {
    return new TaskManagerDetails(
        id, "10.0.0.5:6124", NOW - 1_000, slots, free, 8, 16L << 30, 256, 1024);
  }

  private static JobDetails job(JobStatus status, String failureCause) {
    long start = NOW - 60_000;
    VertexDetails vertex =
        new VertexDetails(
            1,
            "source -> sum",
            2,
            ExecutionState.RUNNING,
            start,
            Map.of(ExecutionState.RUNNING, 2),
            100,
            200,
            3000,
            4000,
            List.of(
                new SubtaskDetails(0, ExecutionState.RUNNING, 0, "tm-1", "10.0.0.5", 50, 100),
                new SubtaskDetails(1, ExecutionState.RUNNING, 0, "tm-1", "10.0.0.5", 50, 100)));
    return new JobDetails(
        JobId.random(),
        "ledger",
        status,
        start,
        status.isGloballyTerminal() ? NOW : -1,
        60_000,
        Map.of(ExecutionState.RUNNING, 2, ExecutionState.FINISHED, 1),
        List.of(vertex),
        failureCause,
        0,
        start);
  }
}
