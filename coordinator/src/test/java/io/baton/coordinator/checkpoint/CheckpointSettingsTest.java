package io.baton.coordinator.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.common.config.CheckpointingOptions.ExternalizedRetention;
import io.baton.common.config.Configuration;
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
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("state.checkpoints.num-retained must be at least 1, not 0");
    assertThatThrownBy(
            () ->
                CheckpointSettings.of(
                    cluster, Map.of("execution.checkpointing.max-concurrent-checkpoints", "0")))
        .hasMessage("execution.checkpointing.max-concurrent-checkpoints must be at least 1, not 0");
  }
}
