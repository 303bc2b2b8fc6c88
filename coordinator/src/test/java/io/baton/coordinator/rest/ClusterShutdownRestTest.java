package io.baton.coordinator.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.common.config.Configuration;
import io.baton.common.config.RestOptions;
import io.baton.coordinator.blob.LocalBlobStore;
import io.baton.coordinator.rest.TestHttp.Response;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code DELETE /cluster}: asks the process that owns the cluster's life, or is refused. */
class ClusterShutdownRestTest {
  @TempDir Path dir;
  private RestServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void deleteClusterAsksTheShutdownOnceAndAnswers202() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    TestHttp http = start(asked::incrementAndGet);

    Response response = http.delete("/cluster");

    assertThat(response.status()).isEqualTo(202);
    assertThat(response.json().get("status").asText()).isEqualTo("stopping");
    assertThat(asked).hasValue(1);
  }

  @Test
  void withoutAShutdownDeleteClusterIsRefusedInOneLine() throws Exception {
    Response response = start(null).delete("/cluster");

    assertThat(response.status()).isEqualTo(405);
    assertThat(response.error()).contains("not ended through REST");
  }

  private TestHttp start(ClusterShutdown shutdown) throws java.io.IOException {
    server =
        new RestServer(
            new Configuration().set(RestOptions.BIND_ADDRESS, "127.0.0.1").set(RestOptions.PORT, 0),
            new FakeDispatcher(),
            new LocalBlobStore(dir),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            RestServerOptions.defaults().withClock(Clock.systemUTC()).withShutdown(shutdown));
    return new TestHttp(server.start());
  }
}
