package io.baton.coordinator.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.common.config.CheckpointingOptions.ExternalizedRetention;
import io.baton.common.config.Configuration;
import io.baton.common.config.IllegalConfigurationException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckpointSettingsTest {
  private final Configuration cluster =
      Configuration.fromMap(
          Map.of(
              "execution.checkpointing.interval", "10 s",
              "state.checkpoints.dir", "file:///cp",
              "state.checkpoints.num-retained", "2"));

  @Test
  void theJobsConfigurationOverridesTheClusters() {
    CheckpointSettings settings =
        CheckpointSettings.of(
            cluster,
            Map.of(
                "execution.checkpointing.interval", "200 ms",
                "execution.checkpointing.externalized-checkpoint-retention",
                    "RETAIN_ON_CANCELLATION"));

    assertThat(settings.interval()).contains(Duration.ofMillis(200));
    assertThat(settings.numRetained()).isEqualTo(2);
    assertThat(settings.checkpointsDirectory().orElseThrow()).hasToString("file:///cp");
    assertThat(settings.retention()).isEqualTo(ExternalizedRetention.RETAIN_ON_CANCELLATION);
    assertThat(settings.maxConcurrent()).isEqualTo(1);
    assertThat(settings.timeout()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void withoutAnIntervalCheckpointingIsOff() {
    assertThat(CheckpointSettings.of(new Configuration(), Map.of()).periodic()).isFalse();
  }

  @Test
  void outOfRangeValuesAreOneLine() {
    assertThatThrownBy(
            () -> CheckpointSettings.of(cluster, Map.of("state.checkpoints.num-retained", "0")))
        .isInstanceOf(IllegalConfigurationException.class)
        .hasMessage(
            "invalid value '0' for configuration key 'state.checkpoints.num-retained':"
                + " allowed range is >= 1");
    assertThatThrownBy(
            () ->
                CheckpointSettings.of(
                    cluster, Map.of("execution.checkpointing.max-concurrent-checkpoints", "0")))
        .hasMessage(
            "invalid value '0' for configuration key"
                + " 'execution.checkpointing.max-concurrent-checkpoints': allowed range is >= 1");
  }
}
