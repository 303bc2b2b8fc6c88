package io.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.common.config.Configuration;
import io.baton.common.config.RestOptions;
import io.baton.common.config.SecurityOptions;
import io.baton.coordinator.blob.LocalBlobStore;
import io.baton.coordinator.program.TestJars;
import io.baton.coordinator.program.TestJobs;
import io.baton.coordinator.rest.FakeDispatcher;
import io.baton.coordinator.rest.RestServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/baton against a JobManager with {@code rest.auth.type: token}: it sends the token it reads.
 */
class BatonCliTokenTest {
  @TempDir Path dir;

  private final FakeDispatcher dispatcher = new FakeDispatcher();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private RestServer server;
  private String jobManager;
  private Path tokenFile;

  @BeforeEach
  void startServer() throws Exception {
    tokenFile = Files.writeString(dir.resolve("rest.token"), "cli-token-0123456789\n");
    Configuration conf =
        new Configuration()
            .set(RestOptions.BIND_ADDRESS, "127.0.0.1")
            .set(RestOptions.PORT, 0)
            .set(SecurityOptions.REST_AUTH_TYPE, SecurityOptions.RestAuthType.TOKEN)
            .set(SecurityOptions.REST_AUTH_TOKEN_FILE, tokenFile.toString());
    server =
        new RestServer(
            conf,
            dispatcher,
            new LocalBlobStore(dir.resolve("blobs")),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    jobManager = "127.0.0.1:" + server.start();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void withTheTokenFileTheCliRunsAJob() throws Exception {
    Path conf = confDir("with-token", "rest.auth.type: token\nrest.auth.token-file: " + tokenFile);
    Path jar = TestJars.jobJar(dir.resolve("wordcount.jar"), TestJobs.Good.class);

    int exit =
        cli("run", "-d", "--jobmanager", jobManager, "--conf", conf.toString(), jar.toString());

    assertThat(exit).as(err.toString()).isZero();
    assertThat(dispatcher.submissions).hasSize(1);
  }

  @Test
  void withoutItTheCliSaysWhyInOneLine() throws Exception {
    Path conf = confDir("without-token", "rest.auth.type: none\n");
    Path jar = TestJars.jobJar(dir.resolve("wordcount.jar"), TestJobs.Good.class);

    int exit =
        cli("run", "-d", "--jobmanager", jobManager, "--conf", conf.toString(), jar.toString());

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString().lines())
        .containsExactly(
            "baton: missing or wrong REST token: send 'Authorization: Bearer <token>' with the"
                + " secret in rest.auth.token-file");
    assertThat(dispatcher.submissions).isEmpty();
  }

  private Path confDir(String name, String yaml) throws Exception {
    Path conf = Files.createDirectories(dir.resolve(name));
    Files.writeString(conf.resolve("baton-conf.yaml"), yaml);
    return conf;
  }

  private int cli(String... args) {
    return new BatonCli(
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            Map.of(),
            Duration.ofMillis(20),
            Clock.systemUTC())
        .execute(args);
  }
}
