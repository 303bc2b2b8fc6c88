package io.baton.coordinator.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.common.config.Configuration;
import io.baton.common.config.CoreOptions;
import io.baton.common.config.RestOptions;
import io.baton.common.execution.ExecutionState;
import io.baton.common.ids.JobId;
import io.baton.coordinator.blob.LocalBlobStore;
import io.baton.coordinator.status.JobDetails;
import io.baton.coordinator.status.JobStatus;
import io.baton.coordinator.status.SubtaskDetails;
import io.baton.coordinator.status.TaskManagerDetails;
import io.baton.coordinator.status.VertexDetails;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Jobs, TaskManagers and a configuration for REST tests, all as of {@link #NOW}. */
final class RestFixtures {
  static final long NOW = 1_700_000_060_000L;

  private RestFixtures() {}

  /**
   * The HA status of a standby that names the leader at {@code leaderUrl} (asked on each call; a
   * null URL is a standby that knows no leader).
   */
  static HaStatus.Source standbyOf(Supplier<String> leaderUrl) {
    return () -> {
      String url = leaderUrl.get();
      return new HaStatus(
          "zookeeper",
          false,
          "127.0.0.1:standby",
          url == null ? null : "leader",
          null,
          url,
          null,
          null,
          List.of());
    };
  }

  /** REST on a free port of the loopback. */
  static Configuration configuration() {
    return new Configuration()
        .set(RestOptions.BIND_ADDRESS, "127.0.0.1")
        .set(RestOptions.PORT, 0)
        .set(CoreOptions.MAX_PARALLELISM, 1024);
  }

  /**
   * A REST server (not started) on {@code configuration} with the clock at {@link #NOW}, jars kept
   * under {@code blobs}.
   *
   * @param ha who leads; null: this one, alone
   */
  static RestServer server(
      Configuration configuration, FakeDispatcher dispatcher, Path blobs, HaStatus.Source ha) {
    return server(configuration, dispatcher, blobs, ha, Duration.ofSeconds(5));
  }

  /** As above, waiting at most {@code timeout} for the dispatcher. */
  static RestServer server(
      Configuration configuration,
      FakeDispatcher dispatcher,
      Path blobs,
      HaStatus.Source ha,
      Duration timeout) {
    return server(
        configuration,
        dispatcher,
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
        blobs,
        ha,
        timeout);
  }

  /** As above, with the meter registry given. */
  static RestServer server(
      Configuration configuration,
      FakeDispatcher dispatcher,
      PrometheusMeterRegistry registry,
      Path blobs,
      HaStatus.Source ha,
      Duration timeout) {
    try {
      return new RestServer(
          configuration,
          dispatcher,
          new LocalBlobStore(Files.createDirectories(blobs)),
          registry,
          RestServerOptions.defaults()
              .withClock(Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC))
              .withDispatcherTimeout(timeout)
              .withHaStatus(ha));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The field names of a JSON object, in order. */
  static List<String> fieldNames(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  static TaskManagerDetails taskManager(String id, int slots, int free) {
    return new TaskManagerDetails(
        id, "10.0.0.5:6124", NOW - 1_000, slots, free, 8, 16L << 30, 256, 1024);
  }

  /** A job "ledger" started a minute ago with one vertex "source -> sum" of two subtasks. */
  static JobDetails job(JobStatus status, String failureCause) {
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
