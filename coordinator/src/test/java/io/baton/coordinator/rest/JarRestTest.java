package io.baton.coordinator.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.common.config.Configuration;
import io.baton.common.config.JobManagerOptions;
import io.baton.common.config.RestOptions;
import io.baton.coordinator.jobmaster.JobSubmission;
import io.baton.coordinator.program.ExtractedProgram;
import io.baton.coordinator.program.TestJars;
import io.baton.coordinator.program.TestJobs;
import io.baton.coordinator.rest.TestHttp.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /jars}: upload, list, run and delete, and how a bad jar or a bad main() is refused. */
class JarRestTest {
  private static final long NOW = RestFixtures.NOW;

  @TempDir Path dir;

  private final FakeDispatcher dispatcher = new FakeDispatcher();
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
  void uploadsListsRunsAndDeletesAJar() throws Exception {
    byte[] jar = Files.readAllBytes(TestJars.jobJar(dir.resolve("job.jar"), TestJobs.Good.class));

    Response upload = http.upload("job.jar", jar);
    assertThat(upload.status()).isEqualTo(200);
    assertThat(RestFixtures.fieldNames(upload.json()))
        .containsExactlyInAnyOrder("filename", "status");
    assertThat(upload.json().get("status").asText()).isEqualTo("success");
    String jarId = upload.json().get("filename").asText();
    assertThat(jarId).matches("[0-9a-f]{64}_job\\.jar");

    JsonNode files = http.get("/jars").json().get("files");
    assertThat(files).hasSize(1);
    assertThat(RestFixtures.fieldNames(files.get(0)))
        .containsExactlyInAnyOrder("id", "name", "uploaded", "entry");
    assertThat(files.get(0).get("id").asText()).isEqualTo(jarId);
    // Flink's dashboard offers the manifest's main class on its submit page
    assertThat(files.get(0).get("entry")).hasSize(1);
    assertThat(files.get(0).get("entry").get(0).get("name").asText())
        .isEqualTo(TestJobs.Good.class.getName());
    assertThat(files.get(0).get("entry").get(0).has("description")).isTrue();
    assertThat(files.get(0).get("name").asText()).isEqualTo("job.jar");

    Response run =
        http.post(
            "/jars/" + jarId + "/run",
            "{\"programArgsList\":[\"word\",\"count\"],\"parallelism\":2}");
    assertThat(run.status()).isEqualTo(200);
    assertThat(RestFixtures.fieldNames(run.json())).containsExactly("jobid");
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

  private String uploadJobJar(Class<?> mainClass) throws Exception {
    return uploadJobJarWithMain(mainClass, "job.jar");
  }

  private String uploadJobJarWithMain(Class<?> mainClass, String name) throws Exception {
    Path jar = TestJars.jobJar(Files.createTempDirectory(dir, "jar").resolve(name), mainClass);
    Response upload = http.upload(name, Files.readAllBytes(jar));
    assertThat(upload.status()).as(upload.body()).isEqualTo(200);
    return upload.json().get("filename").asText();
  }

  @Test
  void planShowsTheGraphTheJarsMainBuildsWithoutRunningIt() throws Exception {
    String jarId = uploadJobJarWithMain(TestJobs.Good.class, "good.jar");

    Response plan = http.get("/v1/jars/" + jarId + "/plan?programArg=ledger");

    assertThat(plan.status()).as(plan.body()).isEqualTo(200);
    JsonNode nodes = plan.json().get("plan").get("nodes");
    assertThat(nodes)
        .extracting(n -> n.get("description").asText())
        .containsExactly("ledger source", "ledger sink");
    assertThat(nodes.get(1).get("inputs").get(0).get("id").asText())
        .isEqualTo("00000000000000000000000000000001");
    assertThat(nodes.get(1).get("inputs").get(0).get("ship_strategy").asText())
        .isEqualTo("FORWARD");
    assertThat(dispatcher.submissions).isEmpty();

    Response cyclic =
        http.post(
            "/jars/" + uploadJobJarWithMain(TestJobs.Cyclic.class, "cyclic.jar") + "/plan", "{}");
    assertThat(cyclic.status()).isEqualTo(400);
    assertThat(cyclic.error()).contains("cycle");
    assertThat(http.get("/jars/nope.jar/plan").status()).isEqualTo(404);
  }

  private RestServer start(Configuration conf, Duration timeout) {
    RestServer server =
        RestFixtures.server(
            conf, dispatcher, dir.resolve("blobs-" + servers.size()), null, timeout);
    servers.add(server);
    server.start();
    return server;
  }

  private Configuration configuration() {
    return RestFixtures.configuration();
  }
}
