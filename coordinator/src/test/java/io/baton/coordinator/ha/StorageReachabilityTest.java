package io.baton.coordinator.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.baton.common.config.Configuration;
import io.baton.coordinator.rest.HaHealth;
import io.baton.storage.FileStores;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HA storage check as the console shows it: reachable with latency, or the one-line error. */
class StorageReachabilityTest {
  @TempDir Path dir;
  private final FileStores fileStores = new FileStores(new Configuration());
  private StorageReachability check;

  @AfterEach
  void close() throws Exception {
    if (check != null) {
      check.close();
    }
    fileStores.close();
  }

  private StorageReachability start(URI directory, Duration timeout) {
    check =
        new StorageReachability(
            fileStores,
            directory,
            Executors.newSingleThreadScheduledExecutor(),
            Executors.newSingleThreadExecutor(),
            Clock.systemUTC(),
            Duration.ofMillis(200),
            timeout);
    check.start();
    return check;
  }

  @Test
  void aLocalDirectoryIsReachableWithItsLatency() {
    StorageReachability reachability = start(dir.toUri(), Duration.ofSeconds(5));

    HaHealth.Storage storage =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(reachability::current, s -> s.checkedAt() != null);

    assertThat(storage.state()).isEqualTo("REACHABLE");
    assertThat(storage.latencyMs()).isNotNull().isNotNegative();
    assertThat(storage.error()).isNull();
    assertThat(storage.uri()).isEqualTo(dir.toUri().toString());
  }

  @Test
  void aNameNodeThatDoesNotAnswerIsUnreachableWithOneLineAndSinceWhen() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    StorageReachability reachability =
        start(URI.create("hdfs://127.0.0.1:" + closedPort + "/baton/ha"), Duration.ofSeconds(1));

    HaHealth.Storage storage =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(reachability::current, s -> "UNREACHABLE".equals(s.state()));

    assertThat(storage.error()).isNotBlank().doesNotContain("\n");
    assertThat(storage.latencyMs()).isNull();
    assertThat(storage.since()).isPositive();
  }
}
