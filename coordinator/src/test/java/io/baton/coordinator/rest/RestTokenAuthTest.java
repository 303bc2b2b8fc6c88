package io.baton.coordinator.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.common.config.Configuration;
import io.baton.common.config.CoreOptions;
import io.baton.common.config.IllegalConfigurationException;
import io.baton.common.config.RestOptions;
import io.baton.common.config.SecurityOptions;
import io.baton.common.ids.JobId;
import io.baton.common.security.RestClientSecurity;
import io.baton.coordinator.blob.LocalBlobStore;
import io.baton.coordinator.program.TestJars;
import io.baton.coordinator.program.TestJobs;
import io.baton.coordinator.rest.TestHttp.Response;
import io.baton.coordinator.status.JobStatus;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rest.auth.type: token}: a client without the token (or with a wrong one) is answered 401
 * with one line and changes nothing; with it every call works; {@code GET /ha} needs none.
 */
class RestTokenAuthTest {
  private static final String SECRET = "s3cret-token-of-this-cluster";

  @TempDir Path dir;

  private final FakeDispatcher dispatcher = new FakeDispatcher();
  private RestServer server;
  private TestHttp withToken;
  private TestHttp anonymous;
  private TestHttp wrongToken;

  @BeforeEach
  void start() throws Exception {
    Configuration conf = tokenConfiguration(tokenFile("server.token", SECRET + "\n"));
    server =
        new RestServer(
            conf,
            dispatcher,
            new LocalBlobStore(Files.createDirectories(dir.resolve("blobs"))),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            RestServerOptions.defaults().withClock(Clock.systemUTC()));
    int port = server.start();
    withToken = new TestHttp(port, RestClientSecurity.fromConfiguration(conf));
    anonymous = new TestHttp(port);
    wrongToken =
        new TestHttp(
            port,
            RestClientSecurity.fromConfiguration(
                tokenConfiguration(tokenFile("wrong.token", SECRET + "x"))));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void withoutTheTokenEveryWriteIsRefusedWithOneLineAndChangesNothing() throws Exception {
    String jarId = upload(withToken).json().get("filename").asText();
    String jobId = withToken.post("/jars/" + jarId + "/run", "{}").json().get("jobid").asText();
    String jarsBefore = withToken.get("/jars").body();
    String jobsBefore = withToken.get("/jobs").body();

    for (TestHttp outsider : List.of(anonymous, wrongToken)) {
      List<Response> answers =
          List.of(
              upload(outsider),
              outsider.post("/jars/" + jarId + "/run", "{}"),
              outsider.patch("/jobs/" + jobId + "?mode=cancel"),
              outsider.delete("/jars/" + jarId),
              outsider.post(
                  "/jobs/" + jobId + "/savepoints", "{\"target-directory\":\"file:///tmp/x\"}"),
              outsider.get("/jobs"),
              outsider.get("/overview"),
              outsider.get("/no/such/endpoint"));
      assertThat(answers)
          .allSatisfy(
              r -> {
                assertThat(r.status()).as(r.body()).isEqualTo(401);
                assertThat(r.error()).isEqualTo(TokenCheck.REFUSED);
              });
    }

    assertThat(TokenCheck.REFUSED)
        .isEqualTo(
            "missing or wrong REST token: send 'Authorization: Bearer <token>' with the secret in"
                + " rest.auth.token-file");
    assertThat(withToken.get("/jars").body()).isEqualTo(jarsBefore);
    assertThat(withToken.get("/jobs").body()).isEqualTo(jobsBefore);
    assertThat(dispatcher.submissions).hasSize(1);
    assertThat(dispatcher.status(JobId.parse(jobId))).isEqualTo(JobStatus.RUNNING);
    assertThat(dispatcher.savepointRequests).isEmpty();
  }

  @Test
  void withTheTokenEveryCallWorks() throws Exception {
    Response upload = upload(withToken);
    assertThat(upload.status()).as(upload.body()).isEqualTo(200);
    String jarId = upload.json().get("filename").asText();
    Response run = withToken.post("/jars/" + jarId + "/run", "{}");
    assertThat(run.status()).as(run.body()).isEqualTo(200);
    String jobId = run.json().get("jobid").asText();

    Response savepoint =
        withToken.post(
            "/jobs/" + jobId + "/savepoints", "{\"target-directory\":\"file:///tmp/x\"}");
    assertThat(savepoint.status()).as(savepoint.body()).isEqualTo(202);
    assertThat(dispatcher.savepointRequests).containsExactly(JobId.parse(jobId));
    assertThat(withToken.patch("/jobs/" + jobId + "?mode=cancel").status()).isEqualTo(202);
    assertThat(dispatcher.status(JobId.parse(jobId))).isEqualTo(JobStatus.CANCELED);
    assertThat(withToken.delete("/jars/" + jarId).status()).isEqualTo(200);
    assertThat(withToken.get("/jars").json().get("files")).isEmpty();
  }

  @Test
  void haAnswersWithoutTheToken() {
    Response ha = anonymous.get("/ha");

    assertThat(ha.status()).isEqualTo(200);
    assertThat(ha.json().get("leader").asBoolean()).isTrue();
  }

  @Test
  void aMissingOrEmptyTokenFileStopsStartUpWithOneLine() throws Exception {
    Path missing = dir.resolve("nowhere.token");
    Path empty = tokenFile("empty.token", "  \n");

    assertThatThrownBy(() -> startWith(tokenConfiguration(missing)))
        .isInstanceOf(IllegalConfigurationException.class)
        .hasMessage("rest.auth.token-file: no such file " + missing);
    assertThatThrownBy(() -> startWith(tokenConfiguration(empty)))
        .isInstanceOf(IllegalConfigurationException.class)
        .hasMessage("rest.auth.token-file: " + empty + " is empty");
    assertThatThrownBy(
            () ->
                startWith(
                    baseConfiguration()
                        .set(SecurityOptions.REST_AUTH_TYPE, SecurityOptions.RestAuthType.TOKEN)))
        .isInstanceOf(IllegalConfigurationException.class)
        .hasMessage("rest.auth.type: token needs rest.auth.token-file (the token's file)");
  }

  private void startWith(Configuration conf) throws Exception {
    new RestServer(
            conf,
            dispatcher,
            new LocalBlobStore(Files.createTempDirectory(dir, "blobs")),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
        .close();
  }

  private Response upload(TestHttp http) throws Exception {
    Path jar =
        TestJars.jobJar(
            Files.createTempDirectory(dir, "jar").resolve("job.jar"), TestJobs.Good.class);
    return http.upload("job.jar", Files.readAllBytes(jar));
  }

  private Path tokenFile(String name, String content) throws Exception {
    return Files.writeString(dir.resolve(name), content);
  }

  private static Configuration baseConfiguration() {
    return new Configuration()
        .set(RestOptions.BIND_ADDRESS, "127.0.0.1")
        .set(RestOptions.PORT, 0)
        .set(CoreOptions.MAX_PARALLELISM, 1024);
  }

  private static Configuration tokenConfiguration(Path tokenFile) {
    return baseConfiguration()
        .set(SecurityOptions.REST_AUTH_TYPE, SecurityOptions.RestAuthType.TOKEN)
        .set(SecurityOptions.REST_AUTH_TOKEN_FILE, tokenFile.toString());
  }
}
