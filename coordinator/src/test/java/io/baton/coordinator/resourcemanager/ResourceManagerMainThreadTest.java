package io.baton.coordinator.resourcemanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.common.concurrent.SingleThreadMainThreadExecutor;
import io.baton.coordinator.metrics.ResourceManagerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The resource manager's state is confined to its main thread, and says so when it is not. */
class ResourceManagerMainThreadTest {
  private final ResourceManager rm =
      new ResourceManager(
          new SingleThreadMainThreadExecutor("ResourceManager", "baton-resource-manager"),
          Clock.systemUTC(),
          "token-1",
          new ResourceManagerSettings(
              Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30)),
          (id, address) -> {
            throw new AssertionError("no TaskManager registers in this test");
          },
          new ResourceManagerMetrics(new SimpleMeterRegistry()));

  @AfterEach
  void close() {
    rm.close(Duration.ofSeconds(5));
  }

  @Test
  void checkingHeartbeatsFromAnotherThreadFailsNamingTheResourceManagerAndTheThread()
      throws Exception {
    rm.start();

    assertThatThrownBy(rm::checkHeartbeats)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "ResourceManager was called on thread '"
                + Thread.currentThread().getName()
                + "', but only its main thread 'baton-resource-manager' may touch its state");
    // the refused call broke nothing: the resource manager still answers on its main thread
    assertThat(rm.overview().get(5, TimeUnit.SECONDS)).isEqualTo(new ResourceOverview(0, 0, 0));
  }
}
