package io.baton.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The conf/ directory shipped next to bin/ must load: the loader rejects unknown keys. */
class ShippedConfigurationTest {

  @Test
  void shippedBatonConfLoadsWithTheDocumentedSettings() {
    Path confDir = Path.of(System.getProperty("user.dir")).getParent().resolve("conf");

    Configuration config = new ConfigurationLoader(KnownOptions.baton()).load(confDir, Map.of());

    assertThat(config.get(HighAvailabilityOptions.TYPE))
        .isEqualTo(HighAvailabilityOptions.Type.ZOOKEEPER);
    assertThat(config.get(HighAvailabilityOptions.QUORUM)).isEqualTo("embedded");
    assertThat(config.get(JobManagerOptions.ADDRESS)).isEqualTo("localhost");
    assertThat(config.get(JobManagerOptions.PORT)).isEqualTo(6123);
    assertThat(config.get(RestOptions.PORT)).isEqualTo(8081);
    assertThat(config.get(TaskManagerOptions.NUM_TASK_SLOTS)).isEqualTo(2);
    assertThat(config.get(CoreOptions.DEFAULT_PARALLELISM)).isEqualTo(1);
    assertThat(config.get(RestartStrategyOptions.TYPE))
        .isEqualTo(RestartStrategyOptions.Type.FIXED_DELAY);
    assertThat(config.get(RestartStrategyOptions.FIXED_DELAY_ATTEMPTS)).isEqualTo(3);
    assertThat(config.get(RestartStrategyOptions.FIXED_DELAY_DELAY))
        .isEqualTo(Duration.ofSeconds(2));
  }
}
