package io.baton.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class YarnOptionsTest {

  @Test
  void memorySizesReadAsFlinkWritesThem() {
    assertThat(YarnOptions.parseMemoryMb("1728m")).isEqualTo(1728);
    assertThat(YarnOptions.parseMemoryMb("2g")).isEqualTo(2048);
    assertThat(YarnOptions.parseMemoryMb("512 mb")).isEqualTo(512);
    assertThat(YarnOptions.parseMemoryMb("1G")).isEqualTo(1024);
    assertThat(YarnOptions.parseMemoryMb("1048576")).isEqualTo(1);
  }

  @Test
  void aSizeWithoutNumberOrWithAnUnknownUnitIsNone() {
    assertThat(YarnOptions.parseMemoryMb("lots")).isEqualTo(-1);
    assertThat(YarnOptions.parseMemoryMb("12 parsecs")).isEqualTo(-1);
    assertThat(YarnOptions.parseMemoryMb(null)).isEqualTo(-1);
  }

  @Test
  void aBadSizeInTheConfigurationIsRefusedNamingTheKey() {
    assertThatThrownBy(
            () ->
                new ConfigurationLoader(KnownOptions.baton())
                    .load(null, Map.of("taskmanager.memory.process.size", "lots")))
        .isInstanceOf(IllegalConfigurationException.class)
        .hasMessageContaining("taskmanager.memory.process.size");
  }

  @Test
  void applicationAttemptsAreTwoWithZooKeeperHighAvailabilityUnlessSet() {
    assertThat(YarnOptions.applicationAttempts(new Configuration())).isEqualTo(1);
    Configuration ha = new Configuration().setString("high-availability.type", "zookeeper");
    assertThat(YarnOptions.applicationAttempts(ha)).isEqualTo(2);
    assertThat(YarnOptions.applicationAttempts(ha.setString("yarn.application-attempts", "4")))
        .isEqualTo(4);
  }

  @Test
  void zeroApplicationAttemptsAreRefusedNamingTheKey() {
    assertThatThrownBy(
            () ->
                new ConfigurationLoader(KnownOptions.baton())
                    .load(null, Map.of("yarn.application-attempts", "0")))
        .isInstanceOf(IllegalConfigurationException.class)
        .hasMessageContaining("yarn.application-attempts");
  }
}
